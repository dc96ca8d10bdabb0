import { Injectable } from '@nestjs/common';
import { AppError, offsetPage, parseSort, type Page } from '@coffee/common';
import type { TenantScope } from '@coffee/database';
import { scopeOf, type TenantPrincipal } from '@coffee/tenancy';
import {
  toTableResponse,
  type CreateTableDto,
  type ListTablesQueryDto,
  type TableResponse,
  type UpdateTableDto,
} from './table.dto';
import type { TableEntity } from './table.entity';
import { TableRepository, type TableSortField } from './table.repository';

const SORT_FIELDS: readonly TableSortField[] = ['label', 'createdAt'];

@Injectable()
export class TablesService {
  constructor(private readonly tables: TableRepository) {}

  async list(principal: TenantPrincipal, query: ListTablesQueryDto): Promise<Page<TableResponse>> {
    const sort = parseSort(query.sort, SORT_FIELDS, { field: 'label', direction: 'ASC' });
    const [rows, total] = await this.tables.list(
      scopeOf(principal),
      { ...(query.isActive !== undefined && { isActive: query.isActive }) },
      sort,
      query,
    );
    return offsetPage(rows.map(toTableResponse), total, query);
  }

  async get(principal: TenantPrincipal, id: string): Promise<TableResponse> {
    return toTableResponse(await this.require(scopeOf(principal), id));
  }

  async create(principal: TenantPrincipal, dto: CreateTableDto): Promise<TableResponse> {
    const table = await this.tables.insert(scopeOf(principal), {
      label: dto.label,
      seats: dto.seats ?? 2,
      isActive: dto.isActive ?? true,
    });
    return toTableResponse(table);
  }

  async update(principal: TenantPrincipal, id: string, dto: UpdateTableDto): Promise<TableResponse> {
    const scope = scopeOf(principal);
    await this.require(scope, id);
    const patch = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined));
    if (Object.keys(patch).length > 0) await this.tables.update(scope, id, patch);
    return toTableResponse(await this.require(scope, id));
  }

  /** Soft delete: past orders keep pointing at the table. */
  async remove(principal: TenantPrincipal, id: string): Promise<void> {
    if (!(await this.tables.softDelete(scopeOf(principal), id))) throw AppError.notFound('Table');
  }

  /** For orders: an active, live table of this restaurant, or null. */
  async findActive(scope: TenantScope, id: string): Promise<TableEntity | null> {
    const table = await this.tables.findLive(scope, id);
    return table?.isActive ? table : null;
  }

  private async require(scope: TenantScope, id: string): Promise<TableEntity> {
    const table = await this.tables.findLive(scope, id);
    if (!table) throw AppError.notFound('Table');
    return table;
  }
}
