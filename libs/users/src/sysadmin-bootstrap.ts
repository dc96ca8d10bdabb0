import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { authConfig, type AuthConfig } from '@coffee/config';
import { isCommonPassword } from './common-passwords';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.validator';
import { UserAccountsService } from './user-accounts.service';

/** What the start log says while nobody can manage the platform: a new user's first question. */
export const NO_SYSADMIN_HINT =
  'No sysadmin exists yet, so nobody can create restaurants. Set SYSADMIN_EMAIL and SYSADMIN_PASSWORD before ' +
  'starting, or run `npm run cli -- create-sysadmin --email <email> --password <password>`. To try the API with ' +
  'sample data, `npm run seed:demo` creates a demo café and prints its owner and staff sign-ins.';

/**
 * At API start: creates the first platform admin from SYSADMIN_EMAIL /
 * SYSADMIN_PASSWORD if absent (never overwrites one), and otherwise warns when
 * there is no platform admin at all, saying how to make one.
 */
@Injectable()
export class SysadminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(SysadminBootstrap.name);

  constructor(
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    private readonly accounts: UserAccountsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.createFromEnvironment()) return;
    if (!(await this.accounts.anySysadminExists())) this.logger.warn(NO_SYSADMIN_HINT);
  }

  /** True when it has just created the sysadmin. */
  private async createFromEnvironment(): Promise<boolean> {
    const { sysadminEmail: email, sysadminPassword: password } = this.config;
    if (!email || !password) return false;
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX || isCommonPassword(password)) {
      this.logger.error(
        `SYSADMIN_PASSWORD must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters and not a common password; no sysadmin created`,
      );
      return false;
    }
    const created = await this.accounts.ensureSysadmin(email, 'Platform admin', password);
    if (created) this.logger.log({ email }, 'Created the first sysadmin');
    return created;
  }
}
