import { AppError, type TenantRole } from '@coffee/common';
import { UserAccessPolicy } from './user-access.policy';

const owner = { userId: 'o1', role: 'owner' as const };
const manager = { userId: 'm1', role: 'manager' as const };

function refused(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'OTHER';
  }
}

describe('UserAccessPolicy', () => {
  it.each<[TenantRole, TenantRole, boolean]>([
    ['owner', 'owner', true],
    ['owner', 'manager', true],
    ['owner', 'staff', true],
    ['manager', 'staff', true],
    ['manager', 'manager', false],
    ['manager', 'owner', false],
  ])('a %s creating a %s: allowed=%s', (actor, role, allowed) => {
    const result = refused(() => UserAccessPolicy.assertCanCreate({ userId: 'a', role: actor }, role));
    expect(result).toBe(allowed ? undefined : 'FORBIDDEN');
  });

  it('lets owners change anyone else, to any role', () => {
    for (const role of ['owner', 'manager', 'staff'] as const) {
      expect(
        refused(() => UserAccessPolicy.assertCanChange(owner, { id: 'x', role: 'manager' }, { role })),
      ).toBeUndefined();
    }
    expect(
      refused(() => UserAccessPolicy.assertCanChange(owner, { id: 'x', role: 'owner' }, { isActive: false })),
    ).toBeUndefined();
  });

  it('limits managers to staff, and to the staff role', () => {
    expect(
      refused(() => UserAccessPolicy.assertCanChange(manager, { id: 's', role: 'staff' }, { isActive: false })),
    ).toBeUndefined();
    expect(
      refused(() => UserAccessPolicy.assertCanChange(manager, { id: 's', role: 'staff' }, { role: 'staff' })),
    ).toBeUndefined();
    expect(
      refused(() => UserAccessPolicy.assertCanChange(manager, { id: 's', role: 'staff' }, { role: 'manager' })),
    ).toBe('FORBIDDEN');
    expect(refused(() => UserAccessPolicy.assertCanChange(manager, { id: 'm2', role: 'manager' }, {}))).toBe(
      'FORBIDDEN',
    );
    expect(
      refused(() => UserAccessPolicy.assertCanChange(manager, { id: 'o', role: 'owner' }, { isActive: false })),
    ).toBe('FORBIDDEN');
  });

  it('forbids demoting or deactivating yourself, but allows renaming yourself', () => {
    expect(refused(() => UserAccessPolicy.assertCanChange(owner, { id: 'o1', role: 'owner' }, { role: 'staff' }))).toBe(
      'FORBIDDEN',
    );
    expect(
      refused(() => UserAccessPolicy.assertCanChange(owner, { id: 'o1', role: 'owner' }, { isActive: false })),
    ).toBe('FORBIDDEN');
    expect(
      refused(() =>
        UserAccessPolicy.assertCanChange(owner, { id: 'o1', role: 'owner' }, { role: 'owner', isActive: true }),
      ),
    ).toBeUndefined();
  });
});
