import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { AppError, uniqueOr, type SortSpec } from '@coffee/common';
import { repositoryIn, softDeleteLive, type TenantScope } from '@coffee/database';
import { TableEntity } from './table.entity';

export type TableSortField = 'label' | 'createdAt';
export type TablePatch = Partial<Pick<TableEntity, 'label' | 'seats' | 'isActive'>>;

const labelTaken = (): AppError => AppError.conflict('Another table has this label');

/** Tables of one restaurant: every method takes the tenant scope first. */
@Injectable()
export class TableRepository {
  constructor(@InjectRepository(TableEntity) private readonly tables: Repository<TableEntity>) {}

  private repo(scope: TenantScope): Repository<TableEntity> {
    return repositoryIn(scope, TableEntity, this.tables);
  }

  insert(scope: TenantScope, data: Pick<TableEntity, 'label' | 'seats' | 'isActive'>): Promise<TableEntity> {
    const qrToken = randomBytes(32).toString('base64url');
    const repo = this.repo(scope);
    return uniqueOr(
      () => repo.save(repo.create({ ...data, restaurantId: scope.restaurantId, qrToken, alive: 1 })),
      labelTaken,
    );
  }

  findLive(scope: TenantScope, id: string): Promise<TableEntity | null> {
    return this.repo(scope).findOneBy({ restaurantId: scope.restaurantId, id, deletedAt: IsNull() });
  }

  list(
    scope: TenantScope,
    filters: { isActive?: boolean },
    sort: SortSpec<TableSortField>,
    page: { limit: number; offset: number },
  ): Promise<[TableEntity[], number]> {
    return this.repo(scope).findAndCount({
      where: {
        restaurantId: scope.restaurantId,
        deletedAt: IsNull(),
        ...(filters.isActive !== undefined && { isActive: filters.isActive }),
      },
      order: { [sort.field]: sort.direction, id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  async update(scope: TenantScope, id: string, patch: TablePatch): Promise<void> {
    await uniqueOr(
      () => this.repo(scope).update({ restaurantId: scope.restaurantId, id, deletedAt: IsNull() }, patch),
      labelTaken,
    );
  }

  softDelete(scope: TenantScope, id: string): Promise<boolean> {
    return softDeleteLive(scope, this.tables, id);
  }
}
