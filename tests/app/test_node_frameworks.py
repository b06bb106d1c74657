"""Fastify, Koa, Hono and NestJS apps: detection and routes through the JavaScript reader."""

from __future__ import annotations

from pathlib import Path

from harness.app import detect_app


def write(tmp: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(text)
    return tmp


def routes(p) -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in p.routes}


def test_fastify_plugins_registered_with_a_prefix(tmp_path: Path) -> None:
    write(tmp_path, {
        "package.json": '{"dependencies": {"fastify": "^4.0.0"}}',
        "server.js": """const fastify = require('fastify')({ logger: true });
fastify.register(require('./routes/users'), { prefix: '/api/users' });
fastify.get('/health', async () => ({ ok: true }));
fastify.listen({ port: process.env.PORT || 3000 });
""",
        "routes/users.js": """async function routes(app) {
  app.get('/', async (req) => listUsers(req.query.limit));
  app.post('/', async (req) => { const { email, password } = req.body; });
}
module.exports = routes;
""",
    })  # fmt: skip
    p = detect_app(tmp_path)
    assert p.framework == "fastify"
    assert routes(p) == {("GET", "/health"), ("GET", "/api/users"), ("POST", "/api/users")}
    post = next(r for r in p.routes if r.method == "POST")
    assert post.body_fields == ["email", "password"]


def test_koa_router_with_prefix_and_hono_sub_apps(tmp_path: Path) -> None:
    koa = write(tmp_path / "koa", {
        "package.json": '{"dependencies": {"koa": "*", "koa-router": "*"}}',
        "app.js": """const Koa = require('koa');
const Router = require('koa-router');
const app = new Koa();
const router = new Router({ prefix: '/api' });
router.get('/items/:id', (ctx) => {});
router.post('/items', (ctx) => {});
app.use(router.routes());
app.listen(3000);
""",
    })  # fmt: skip
    p = detect_app(koa)
    assert p.framework == "koa"
    assert routes(p) == {("GET", "/api/items/{id}"), ("POST", "/api/items")}
    hono = write(tmp_path / "hono", {
        "package.json": '{"dependencies": {"hono": "*"}}',
        "src/index.ts": """import { Hono } from 'hono';
import users from './users';
const app = new Hono();
app.get('/', (c) => c.text('ok'));
app.route('/users', users);
export default app;
""",
        "src/users.ts": """import { Hono } from 'hono';
const users = new Hono();
users.get('/:id', (c) => c.json({}));
users.delete('/:id', (c) => c.body(null, 204));
export default users;
""",
    })  # fmt: skip
    p = detect_app(hono)
    assert (p.language, p.framework) == ("typescript", "hono")
    assert routes(p) == {("GET", "/"), ("GET", "/users/{id}"), ("DELETE", "/users/{id}")}


def test_nestjs_controllers_with_global_prefix_and_dto_fields(tmp_path: Path) -> None:
    write(tmp_path, {
        "package.json": '{"dependencies": {"@nestjs/core": "*", "@nestjs/common": "*"}}',
        "src/main.ts": """import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
""",
        "src/users/users.controller.ts": """import { Body, Controller, Get, Param, Post, Query }
  from '@nestjs/common';
import { CreateUserDto } from './dto';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  findAll(@Query('search') search?: string) {
    return this.users.findAll(search);
  }

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.users.findOne(+id);
  }

  @Post()
  async create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }
}
""",
        "src/users/dto.ts": """export class CreateUserDto {
  @IsEmail()
  email: string;
  @MinLength(8)
  password!: string;
  name?: string;
}
""",
    })  # fmt: skip
    p = detect_app(tmp_path)
    assert (p.language, p.framework, p.entrypoint) == ("typescript", "nestjs", "src/main.ts")
    assert routes(p) == {("GET", "/api/users"), ("GET", "/api/users/{id}"), ("POST", "/api/users")}
    by = {(r.method, r.path): r for r in p.routes}
    assert by[("GET", "/api/users")].query_params == ["search"]
    assert by[("POST", "/api/users")].body_fields == ["email", "password", "name"]
    assert by[("POST", "/api/users")].handler == "UsersController.create"
