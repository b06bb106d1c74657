from fastapi import FastAPI
app = FastAPI()

import os
from fastapi.middleware.cors import CORSMiddleware
app.add_middleware(CORSMiddleware, allow_origins=os.environ["ALLOWED_ORIGINS"].split(","), allow_credentials=True)
