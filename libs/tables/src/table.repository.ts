import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { AppError, uniqueOr, type SortSpec } from '@coffee/common';
import { softDeleteLive } from '@coffee/database';
import { TableEntity } from './table.entity';

export type TableSortField = 'label' | 'createdAt';
export type TablePatch = Partial<Pick<TableEntity, 'label' | 'seats' | 'isActive'>>;

const labelTaken = (): AppError => AppError.conflict('Another table has this label');

@Injectable()
export class TableRepository {
  constructor(@InjectRepository(TableEntity) private readonly tables: Repository<TableEntity>) {}

  insert(restaurantId: string, data: Pick<TableEntity, 'label' | 'seats' | 'isActive'>): Promise<TableEntity> {
    const qrToken = randomBytes(32).toString('base64url');
    return uniqueOr(
      () => this.tables.save(this.tables.create({ ...data, restaurantId, qrToken, alive: 1 })),
      labelTaken,
    );
  }

  findLive(restaurantId: string, id: string): Promise<TableEntity | null> {
    return this.tables.findOneBy({ restaurantId, id, deletedAt: IsNull() });
  }

  list(
    restaurantId: string,
    filters: { isActive?: boolean },
    sort: SortSpec<TableSortField>,
    page: { limit: number; offset: number },
  ): Promise<[TableEntity[], number]> {
    return this.tables.findAndCount({
      where: {
        restaurantId,
        deletedAt: IsNull(),
        ...(filters.isActive !== undefined && { isActive: filters.isActive }),
      },
      order: { [sort.field]: sort.direction, id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  async update(restaurantId: string, id: string, patch: TablePatch): Promise<void> {
    await uniqueOr(() => this.tables.update({ restaurantId, id, deletedAt: IsNull() }, patch), labelTaken);
  }

  softDelete(restaurantId: string, id: string): Promise<boolean> {
    return softDeleteLive(this.tables, { restaurantId, id });
  }
}
