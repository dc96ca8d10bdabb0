import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_STATUS, type ErrorCode } from '../errors/error-codes';

const CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** One invalid field of a 422 (at most 50 are listed; `detail` gives the total). */
export class ProblemFieldError {
  @ApiProperty({ example: 'items[0].quantity', description: 'Path of the field in the body or the query' })
  field!: string;

  @ApiProperty({ example: 'quantity must not be greater than 99' })
  message!: string;
}

/** RFC 9457 problem details: the body of every 4xx/5xx (`application/problem+json`). */
export class ProblemDetailsResponse {
  @ApiProperty({ format: 'uri', example: 'https://docs.coffee-admin.dev/problems/validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Validation failed' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 422 })
  status!: number;

  @ApiProperty({ example: '1 field is invalid' })
  detail!: string;

  @ApiProperty({ description: 'The request path', example: '/api/v1/orders' })
  instance!: string;

  @ApiProperty({ enum: CODES, enumName: 'ErrorCode', description: 'Stable: clients switch on it' })
  code!: ErrorCode;

  @ApiProperty({ description: 'Also in the `X-Request-Id` header and in every log line of the request' })
  requestId!: string;

  @ApiPropertyOptional({ type: [ProblemFieldError], maxItems: 50, description: 'With `VALIDATION_FAILED` only' })
  errors?: ProblemFieldError[];
}
