import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { User } from './users/user.entity';
import { Note } from './notes/note.entity';
import { Init1717000000000 } from './migrations/1717000000000-Init';

export const dataSourceOptions: DataSourceOptions = {
  type: 'postgres',
  host: process.env.DB_HOST ?? 'localhost',
  port: Number(process.env.DB_PORT ?? 5432),
  username: process.env.DB_USERNAME,
  password: process.env.DB_PASSWORD,
  database: process.env.DB_DATABASE,
  entities: [User, Note],
  migrations: [Init1717000000000],
  synchronize: false,
};

export default new DataSource(dataSourceOptions);
