import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, type TenantRole } from '@coffee/common';
import { SysadminRestaurantsService } from '@coffee/sysadmin';
import { RestaurantRepository, type TenantPrincipal } from '@coffee/tenancy';
import { UserAccountsService, UsersService } from '@coffee/users';
import { DEMO_PEOPLE, DEMO_RESTAURANT, demoEmails } from './demo-cafe';
import { DemoContent, type DemoCounts } from './demo-content';

export interface DemoAccount {
  role: 'owner' | 'staff';
  email: string;
  password: string;
}

export type SeedDemoResult =
  | { created: false; slug: string; emails: { owner: string; staff: string } }
  | {
      created: true;
      slug: string;
      restaurant: { name: string; currency: string; timezone: string; planCode: string };
      accounts: DemoAccount[];
      counts: DemoCounts;
    };

/** The demo cannot be made as asked (an email belongs to someone else); nothing was written. */
export class DemoSeedRefused extends Error {}

/** 16 characters from 96 random bits. */
function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * A signed-in user as the services see one. A trusted source, like the
 * sysadmin flow it follows: the restaurant and users this command has just created.
 */
function principalOf(userId: string, restaurantId: string, role: TenantRole): TenantPrincipal {
  return { userId, restaurantId, role, scopes: [], via: 'bearer', sessionId: null, apiKeyId: null };
}

/**
 * Creates the demo café: the restaurant with its owner (as a sysadmin does),
 * a staff member (as the owner does), then its menu, tables and orders.
 * Finding the slug taken, it changes nothing.
 */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly restaurants: RestaurantRepository,
    private readonly sysadmin: SysadminRestaurantsService,
    private readonly accounts: UserAccountsService,
    private readonly users: UsersService,
    private readonly content: DemoContent,
  ) {}

  async seed(options: { slug: string; password?: string }): Promise<SeedDemoResult> {
    const { slug } = options;
    const emails = demoEmails(slug);
    if (await this.restaurants.findBySlug(slug)) return { created: false, slug, emails };
    // Checked before anything is written, so a clash leaves no half-made café behind.
    for (const email of [emails.owner, emails.staff]) {
      if (await this.accounts.findByEmail(email))
        throw new DemoSeedRefused(`${email} already belongs to another account; choose another --slug`);
    }
    const passwords = { owner: options.password ?? randomPassword(), staff: options.password ?? randomPassword() };

    let created;
    try {
      created = await this.sysadmin.create({
        ...DEMO_RESTAURANT,
        slug,
        owner: { email: emails.owner, name: DEMO_PEOPLE.owner, password: passwords.owner },
      });
    } catch (error) {
      // Another run created it between the check and the insert.
      if (error instanceof AppError && error.code === 'CONFLICT' && (await this.restaurants.findBySlug(slug)))
        return { created: false, slug, emails };
      throw error;
    }
    const restaurantId = created.restaurant.id;
    const owner = principalOf(created.owner.id, restaurantId, 'owner');
    const staffUser = await this.users.create(owner, {
      email: emails.staff,
      name: DEMO_PEOPLE.staff,
      role: 'staff',
      password: passwords.staff,
    });
    const counts = await this.content.create({ owner, staff: principalOf(staffUser.id, restaurantId, 'staff') });

    return {
      created: true,
      slug,
      restaurant: DEMO_RESTAURANT,
      accounts: [
        { role: 'owner', email: emails.owner, password: passwords.owner },
        { role: 'staff', email: emails.staff, password: passwords.staff },
      ],
      counts,
    };
  }
}
