/** The plans the migrations seed; a plan code in a request must be one of these. */
export const PLAN_CODES = ['free', 'pro', 'enterprise'] as const;
export type PlanCode = (typeof PLAN_CODES)[number];
