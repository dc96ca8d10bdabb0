import { Logger } from '@nestjs/common';
import { TypeOrmNestLogger } from './typeorm-logger';

describe('TypeOrmNestLogger', () => {
  afterEach(() => jest.restoreAllMocks());

  it('warns about a slow query, without its literals', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    new TypeOrmNestLogger(false).logQuerySlow(1500, "SELECT * FROM users WHERE email = 'a@b.c'");
    expect(warn).toHaveBeenCalledWith({ durationMs: 1500, query: 'SELECT * FROM users WHERE email = ?' }, 'slow query');
  });

  it('does not call waiting for a lock (migrations at start) a slow query', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    new TypeOrmNestLogger(false).logQuerySlow(30_000, 'SELECT GET_LOCK(?, ?) AS acquired');
    expect(warn).not.toHaveBeenCalled();
  });
});
