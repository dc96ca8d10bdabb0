import { Public } from '@coffee/common';
import { Body, Controller, Get, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, MinLength, ValidateNested } from 'class-validator';

class ProbeLineDto {
  @IsString()
  menuItemId!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

class ProbeBodyDto {
  @IsString()
  @MinLength(1)
  name!: string;

  @IsInt()
  @Min(1)
  price!: number;

  @ValidateNested({ each: true })
  @Type(() => ProbeLineDto)
  items: ProbeLineDto[] = [];
}

/**
 * Test-only routes that exercise the shared pipeline (body parsing, the
 * validation pipe, the error filter) independently of any feature.
 */
@Public()
@Controller('test-probe')
export class ProbeController {
  @Post('echo')
  echo(@Body() body: ProbeBodyDto): ProbeBodyDto {
    return body;
  }

  @Get('boom')
  boom(): never {
    throw new Error("ER_PARSE_ERROR near 'SELECT password_hash FROM users' at /srv/app/orders.service.ts:42");
  }
}
