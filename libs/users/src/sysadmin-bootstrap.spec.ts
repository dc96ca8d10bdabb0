import { Logger } from '@nestjs/common';
import type { AuthConfig } from '@coffee/config';
import { NO_SYSADMIN_HINT, SysadminBootstrap } from './sysadmin-bootstrap';
import type { UserAccountsService } from './user-accounts.service';

function bootstrapWith(
  env: { sysadminEmail?: string; sysadminPassword?: string },
  state: { anySysadmin: boolean; created?: boolean },
) {
  const accounts = {
    anySysadminExists: jest.fn().mockResolvedValue(state.anySysadmin),
    ensureSysadmin: jest.fn().mockResolvedValue(state.created ?? false),
  };
  const bootstrap = new SysadminBootstrap(env as AuthConfig, accounts as unknown as UserAccountsService);
  return { bootstrap, accounts };
}

describe('SysadminBootstrap', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn');
  });

  afterEach(() => {
    warn.mockRestore();
  });

  it('says how to make a sysadmin when none exists and the environment names none', async () => {
    const { bootstrap, accounts } = bootstrapWith({}, { anySysadmin: false });
    await bootstrap.onApplicationBootstrap();
    expect(accounts.ensureSysadmin).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(NO_SYSADMIN_HINT);
    for (const way of ['SYSADMIN_EMAIL', 'SYSADMIN_PASSWORD', 'npm run cli -- create-sysadmin', 'npm run seed:demo']) {
      expect(NO_SYSADMIN_HINT).toContain(way);
    }
  });

  it('stays quiet when a sysadmin exists', async () => {
    const { bootstrap } = bootstrapWith({}, { anySysadmin: true });
    await bootstrap.onApplicationBootstrap();
    expect(warn).not.toHaveBeenCalled();
  });

  it('creates the sysadmin from the environment without asking again whether one exists', async () => {
    const { bootstrap, accounts } = bootstrapWith(
      { sysadminEmail: 'ops@example.test', sysadminPassword: 'ops-Password-2026!' },
      { anySysadmin: false, created: true },
    );
    await bootstrap.onApplicationBootstrap();
    expect(accounts.ensureSysadmin).toHaveBeenCalledWith('ops@example.test', 'Platform admin', 'ops-Password-2026!');
    expect(accounts.anySysadminExists).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('still warns when the environment password is refused and no sysadmin exists', async () => {
    const { bootstrap, accounts } = bootstrapWith(
      { sysadminEmail: 'ops@example.test', sysadminPassword: 'short' },
      { anySysadmin: false },
    );
    await bootstrap.onApplicationBootstrap();
    expect(accounts.ensureSysadmin).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(NO_SYSADMIN_HINT);
  });
});
