import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { authConfig, type AuthConfig } from '@coffee/config';
import { isCommonPassword } from './common-passwords';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.validator';
import { UserAccountsService } from './user-accounts.service';

/** Creates the first platform admin from SYSADMIN_EMAIL / SYSADMIN_PASSWORD if absent; never overwrites one. */
@Injectable()
export class SysadminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(SysadminBootstrap.name);

  constructor(
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
    private readonly accounts: UserAccountsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { sysadminEmail: email, sysadminPassword: password } = this.config;
    if (!email || !password) return;
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX || isCommonPassword(password)) {
      this.logger.error(
        `SYSADMIN_PASSWORD must be ${PASSWORD_MIN}-${PASSWORD_MAX} characters and not a common password; no sysadmin created`,
      );
      return;
    }
    if (await this.accounts.ensureSysadmin(email, 'Platform admin', password)) {
      this.logger.log({ email }, 'Created the first sysadmin');
    }
  }
}
