import os

from cryptography.fernet import Fernet
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()
_fernet = Fernet(os.environ["FIELD_KEY"])


class Integration(Base):
    __tablename__ = "integrations"
    id = Column(Integer, primary_key=True)
    name = Column(String(80))
    api_key = Column(String(400))

    def set_api_key(self, value: str) -> None:
        self.api_key = _fernet.encrypt(value.encode()).decode()
