import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors, AppError, Public } from '@coffee/common';
import { PublicMenuCache } from './public-menu.cache';

const CACHE_CONTROL = 'public, max-age=5';

/** The QR-code menu: no auth, served from the cache as pre-rendered bytes with an ETag. */
@ApiTags('public')
@Controller('public/restaurants')
export class PublicMenuController {
  constructor(private readonly cache: PublicMenuCache) {}

  @Get(':slug/menu')
  @Public()
  // Cheap cached reads; a CDN or the ingress rate-limits anonymous traffic in front of it.
  @SkipThrottle()
  @ApiOkResponse({
    description: 'Active categories with their available items, by position. Sends ETag; If-None-Match answers 304.',
  })
  @ApiErrors('NOT_FOUND')
  async menu(@Param('slug') slug: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const menu = /^[a-z0-9-]{3,63}$/.test(slug) ? await this.cache.get(slug) : null;
    if (!menu?.body) throw AppError.notFound('Restaurant');
    void reply.header('etag', menu.etag).header('cache-control', CACHE_CONTROL);
    if (request.headers['if-none-match'] === menu.etag) {
      await reply.status(304).send();
      return;
    }
    await reply.header('content-type', 'application/json; charset=utf-8').send(menu.body);
  }
}
