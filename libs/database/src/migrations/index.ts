import { CreateIdempotencyKeys1763800000000 } from './1763800000000-create-idempotency-keys';

/** Every migration, oldest first. Add new ones at the end. */
export const MIGRATIONS = [CreateIdempotencyKeys1763800000000];
