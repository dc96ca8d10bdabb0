import { Injectable, Param, type PipeTransform } from '@nestjs/common';
import { AppError } from '../errors/app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id names no resource: 404, exactly like an unknown one. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw AppError.notFound();
    return value.toLowerCase();
  }
}

/** `@IdParam() id: string` — the `:id` route parameter, validated as a UUID. */
export const IdParam = (name = 'id'): ParameterDecorator => Param(name, IdPipe);
