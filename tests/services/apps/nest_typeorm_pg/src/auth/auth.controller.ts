import { Body, Controller, HttpCode, Post, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { UsersService } from '../users/users.service';
import { CredentialsDto } from './auth.dto';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
  ) {}

  @Post('register')
  async register(@Body() dto: CredentialsDto) {
    const user = await this.users.create(dto.email.toLowerCase(), dto.password);
    return { id: user.id, email: user.email };
  }

  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: CredentialsDto) {
    const user = await this.users.verify(dto.email.toLowerCase(), dto.password);
    if (!user) throw new UnauthorizedException('invalid credentials');
    return { access_token: await this.jwt.signAsync({ sub: user.id }) };
  }
}
