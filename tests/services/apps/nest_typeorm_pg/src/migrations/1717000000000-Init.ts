import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1717000000000 implements MigrationInterface {
  name = 'Init1717000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "users" (
      "id" SERIAL PRIMARY KEY,
      "email" character varying NOT NULL UNIQUE,
      "password_hash" character varying NOT NULL,
      "created_at" TIMESTAMP NOT NULL DEFAULT now()
    )`);
    await queryRunner.query(`CREATE TABLE "notes" (
      "id" SERIAL PRIMARY KEY,
      "title" character varying(200) NOT NULL,
      "body" text NOT NULL DEFAULT '',
      "owner_id" integer NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
      "created_at" TIMESTAMP NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP NOT NULL DEFAULT now()
    )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notes"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
