import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { AppError, isUniqueViolation, type SortSpec } from '@coffee/common';
import { TableEntity } from './table.entity';

export type TableSortField = 'label' | 'createdAt';
export type TablePatch = Partial<Pick<TableEntity, 'label' | 'seats' | 'isActive'>>;

const labelTaken = (): AppError => AppError.conflict('Another table has this label');

@Injectable()
export class TableRepository {
  constructor(@InjectRepository(TableEntity) private readonly tables: Repository<TableEntity>) {}

  async insert(restaurantId: string, data: Pick<TableEntity, 'label' | 'seats' | 'isActive'>): Promise<TableEntity> {
    try {
      return await this.tables.save(
        this.tables.create({ ...data, restaurantId, qrToken: randomBytes(32).toString('base64url'), alive: 1 }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw labelTaken();
      throw error;
    }
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
    try {
      await this.tables.update({ restaurantId, id, deletedAt: IsNull() }, patch);
    } catch (error) {
      if (isUniqueViolation(error)) throw labelTaken();
      throw error;
    }
  }

  async softDelete(restaurantId: string, id: string): Promise<boolean> {
    const result = await this.tables.update(
      { restaurantId, id, deletedAt: IsNull() },
      { deletedAt: new Date(), alive: null },
    );
    return (result.affected ?? 0) === 1;
  }
}
