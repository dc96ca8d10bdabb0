import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { PlanEntity } from './plan.entity';

/** The plan catalogue; plans are global, so no tenant scope. */
@Injectable()
export class PlanRepository {
  constructor(@InjectRepository(PlanEntity) private readonly plans: Repository<PlanEntity>) {}

  listOrdered(): Promise<PlanEntity[]> {
    return this.plans.find({ order: { position: 'ASC', code: 'ASC' } });
  }
}
