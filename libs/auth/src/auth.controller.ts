import '@fastify/cookie';
import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors, Authenticated, Public } from '@coffee/common';
import { authConfig, type AuthConfig } from '@coffee/config';
import { RequestContext } from '@coffee/tenancy';
import { UserResponse } from '@coffee/users';
import { ACCESS_COOKIE, cookieOptions, CSRF_COOKIE, REFRESH_COOKIE } from './auth.constants';
import { ChangePasswordDto, LoginDto, SessionResponse } from './dto/auth.dto';
import { CsrfExempt } from './guards/csrf-exempt.decorator';
import { SessionsService, type IssuedSession } from './sessions/sessions.service';
import { AuthFailureLimit } from './throttling/auth-failure-limit';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly cookies;

  constructor(
    private readonly sessions: SessionsService,
    private readonly context: RequestContext,
    private readonly failures: AuthFailureLimit,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    this.cookies = cookieOptions(config.cookieSecure, config.accessTokenTtlSeconds);
  }

  @Post('login')
  @Public()
  @CsrfExempt()
  @HttpCode(200)
  @ApiBody({
    type: LoginDto,
    examples: {
      owner: {
        summary: 'An owner signs in',
        value: { email: 'owner@cafe.example', password: 'correct-horse-battery' },
      },
    },
  })
  @ApiOkResponse({ type: SessionResponse, description: 'Sets the access_token, refresh_token and csrf_token cookies' })
  @ApiErrors(
    'INVALID_CREDENTIALS',
    'ACCOUNT_LOCKED',
    'RATE_LIMITED',
    'TENANT_SUSPENDED',
    'CSRF_FAILED',
    'VALIDATION_FAILED',
    'SERVICE_UNAVAILABLE',
  )
  @ApiOperation({ operationId: 'login', summary: 'Sign in: sets the session cookies and returns the CSRF token' })
  async login(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponse> {
    return this.respond(reply, await this.sessions.login(dto.email, dto.password, request.ip));
  }

  @Post('refresh')
  @Public()
  @CsrfExempt()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionResponse, description: 'Rotates all three cookies; the old refresh token is dead' })
  @ApiErrors('UNAUTHENTICATED', 'TENANT_SUSPENDED', 'CSRF_FAILED', 'RATE_LIMITED')
  @ApiOperation({ operationId: 'refreshSession', summary: 'Rotate the session (refresh token cookie)' })
  async refresh(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionResponse> {
    try {
      return this.respond(reply, await this.sessions.refresh(request.cookies[REFRESH_COOKIE]));
    } catch (error) {
      this.clearCookies(reply);
      // A refused refresh token is a failed authentication like any other (guessing costs a lookup).
      throw await this.failures.charge(request.ip, error);
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Clears the cookies and revokes the session' })
  @ApiErrors('CSRF_FAILED')
  @ApiOperation({ operationId: 'logout', summary: 'Sign out: revoke this session and clear the cookies' })
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.logout(request.cookies[REFRESH_COOKIE], this.context.principal?.sessionId ?? null);
    this.clearCookies(reply);
  }

  @Post('logout-all')
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Ends every session of the user, this one included, and clears the cookies' })
  @ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_FAILED', 'TENANT_SUSPENDED')
  @ApiOperation({ operationId: 'logoutAll', summary: 'End every session of the current user' })
  async logoutAll(@Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.logoutAll(this.context.user().userId);
    this.clearCookies(reply);
  }

  @Get('me')
  @Authenticated()
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'TENANT_SUSPENDED')
  @ApiOperation({ operationId: 'getCurrentUser', summary: 'The signed-in user' })
  me(): Promise<UserResponse> {
    return this.sessions.me(this.context.user().userId);
  }

  @Post('change-password')
  @Authenticated()
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; every other session of the user is revoked' })
  @ApiErrors('UNAUTHENTICATED', 'FORBIDDEN', 'CSRF_FAILED', 'VALIDATION_FAILED', 'TENANT_SUSPENDED')
  @ApiOperation({ operationId: 'changePassword', summary: 'Change the password; other sessions end' })
  async changePassword(@Body() dto: ChangePasswordDto): Promise<void> {
    const user = this.context.user();
    await this.sessions.changePassword(user.userId, user.sessionId, dto.currentPassword, dto.newPassword);
  }

  private respond(reply: FastifyReply, session: IssuedSession): SessionResponse {
    void reply
      .setCookie(ACCESS_COOKIE, session.accessToken, this.cookies.access)
      .setCookie(REFRESH_COOKIE, session.refreshToken, this.cookies.refresh)
      .setCookie(CSRF_COOKIE, session.csrfToken, this.cookies.csrf);
    return { user: session.user, csrfToken: session.csrfToken };
  }

  private clearCookies(reply: FastifyReply): void {
    void reply
      .clearCookie(ACCESS_COOKIE, { ...this.cookies.access, maxAge: 0 })
      .clearCookie(REFRESH_COOKIE, { ...this.cookies.refresh, maxAge: 0 })
      .clearCookie(CSRF_COOKIE, { ...this.cookies.csrf, maxAge: 0 });
  }
}
