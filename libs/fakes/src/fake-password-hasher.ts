// A PasswordHasher for unit specs: reversible and instant (bcrypt's cost belongs in the API tier).
import { PasswordHasher } from '@lib/records';

export class FakePasswordHasher extends PasswordHasher {
  override hash(plain: string): Promise<string> {
    return Promise.resolve(`hashed:${plain}`);
  }

  override verify(plain: string, hash: string): Promise<boolean> {
    return Promise.resolve(hash === `hashed:${plain}`);
  }
}
