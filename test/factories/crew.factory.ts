import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { BrowserSession } from '../support/session';
import { seedRestaurant, TEST_PASSWORD, uniqueEmail, type SeededRestaurant } from './restaurant.factory';

export interface Crew {
  cafe: SeededRestaurant;
  owner: BrowserSession;
  manager: BrowserSession;
  staff: BrowserSession;
  managerId: string;
  staffId: string;
}

/** A fresh restaurant with an owner, a manager and a staff member, each signed in through the API. */
export async function signedInCrew(app: INestApplication, server: Server): Promise<Crew> {
  const cafe = await seedRestaurant(app);
  const owner = await BrowserSession.login(server, cafe.owner.email, TEST_PASSWORD);
  const members: Record<string, { session: BrowserSession; id: string }> = {};
  for (const role of ['manager', 'staff']) {
    const email = uniqueEmail(role);
    const created = await owner.post('/api/v1/users', {
      email,
      name: role === 'manager' ? 'Max Manager' : 'Sam Staff',
      role,
      password: TEST_PASSWORD,
    });
    if (created.status !== 201) throw new Error(`could not create the ${role}: ${created.status}`);
    members[role] = {
      session: await BrowserSession.login(server, email, TEST_PASSWORD),
      id: created.body.id as string,
    };
  }
  return {
    cafe,
    owner,
    manager: members.manager.session,
    staff: members.staff.session,
    managerId: members.manager.id,
    staffId: members.staff.id,
  };
}
