/** The `subscription.changed` event's data: the subscription now, what it was, and why it moved. */
export function subscriptionChange(
  now: { planCode: string; status: string; currentPeriodEnd: Date },
  previous: { planCode: string; status: string },
  reason: 'plan_changed' | 'past_due' | 'renewed' | 'canceled',
): Record<string, unknown> {
  return {
    subscription: { planCode: now.planCode, status: now.status, currentPeriodEnd: now.currentPeriodEnd.toISOString() },
    previous,
    reason,
  };
}
