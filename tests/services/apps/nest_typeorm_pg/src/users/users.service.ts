import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'crypto';
import { Repository } from 'typeorm';
import { User } from './user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  // planted defect: an unsalted md5 digest stands in for a password hash
  hash(password: string): string {
    return createHash('md5').update(password).digest('hex');
  }

  async create(email: string, password: string): Promise<User> {
    if (await this.users.findOne({ where: { email } })) {
      throw new ConflictException('email already registered');
    }
    return this.users.save(this.users.create({ email, passwordHash: this.hash(password) }));
  }

  async verify(email: string, password: string): Promise<User | null> {
    const user = await this.users.findOne({ where: { email } });
    return user && user.passwordHash === this.hash(password) ? user : null;
  }
}
