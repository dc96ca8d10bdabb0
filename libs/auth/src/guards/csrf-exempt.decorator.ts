import { SetMetadata } from '@nestjs/common';

export const CSRF_EXEMPT = 'coffee:csrf-exempt';

/**
 * Sign-in and refresh carry no CSRF token yet; instead the guard checks their
 * `Origin` (when sent) against CORS_ORIGINS.
 */
export const CsrfExempt = (): MethodDecorator => SetMetadata(CSRF_EXEMPT, true);
