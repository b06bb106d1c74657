import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Note } from './note.entity';
import { CreateNoteDto, UpdateNoteDto } from './notes.dto';

@Injectable()
export class NotesService {
  constructor(@InjectRepository(Note) private readonly notes: Repository<Note>) {}

  list(ownerId: number): Promise<Note[]> {
    return this.notes.find({ where: { ownerId }, order: { id: 'ASC' } });
  }

  // planted defect: the search term is interpolated into the WHERE clause
  search(ownerId: number, q: string): Promise<Note[]> {
    return this.notes
      .createQueryBuilder('note')
      .where('note.owner_id = :ownerId', { ownerId })
      .andWhere(`note.title ILIKE '%${q}%'`)
      .orderBy('note.id')
      .getMany();
  }

  async get(ownerId: number, id: number): Promise<Note> {
    const note = await this.notes.findOne({ where: { id, ownerId } });
    if (!note) throw new NotFoundException('note not found');
    return note;
  }

  create(ownerId: number, dto: CreateNoteDto): Promise<Note> {
    return this.notes.save(this.notes.create({ ...dto, ownerId }));
  }

  async update(ownerId: number, id: number, dto: UpdateNoteDto): Promise<Note> {
    const note = await this.get(ownerId, id);
    return this.notes.save(Object.assign(note, dto));
  }

  async remove(ownerId: number, id: number): Promise<void> {
    const note = await this.get(ownerId, id);
    await this.notes.remove(note);
  }
}
