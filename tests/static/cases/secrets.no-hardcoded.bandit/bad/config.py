import os
DB_PASSWORD = "hunter2"
SECRET = os.environ["SECRET"]
