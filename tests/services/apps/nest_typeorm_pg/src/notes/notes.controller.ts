import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Patch,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { JwtAuthGuard } from '../auth/jwt.guard';
import { CreateNoteDto, UpdateNoteDto } from './notes.dto';
import { NotesService } from './notes.service';

@Controller('notes')
@UseGuards(JwtAuthGuard)
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  list(@Req() req) {
    return this.notes.list(req.user.id);
  }

  @Get('search')
  search(@Req() req, @Query('q') q = '') {
    return this.notes.search(req.user.id, q);
  }

  @Get(':id')
  get(@Req() req, @Param('id', ParseIntPipe) id: number) {
    return this.notes.get(req.user.id, id);
  }

  @Post()
  create(@Req() req, @Body() dto: CreateNoteDto) {
    return this.notes.create(req.user.id, dto);
  }

  @Patch(':id')
  update(@Req() req, @Param('id', ParseIntPipe) id: number, @Body() dto: UpdateNoteDto) {
    return this.notes.update(req.user.id, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Req() req, @Param('id', ParseIntPipe) id: number) {
    return this.notes.remove(req.user.id, id);
  }
}
