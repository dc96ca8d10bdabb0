import { Global, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ClsModule } from 'nestjs-cls';
import { RequestContext } from './request-context';

@Global()
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      middleware: {
        mount: true,
        generateId: true,
        // Fastify already chose the request id (kept from X-Request-Id or generated).
        idGenerator: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
      },
    }),
  ],
  providers: [RequestContext],
  exports: [RequestContext],
})
export class TenancyModule {}
