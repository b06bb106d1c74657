"""Avatar upload API (FastAPI): stores the uploaded avatar in memory per user."""

from fastapi import FastAPI, File, HTTPException, UploadFile

app = FastAPI()
AVATARS: dict[str, bytes] = {}


@app.post("/users/{user_id}/avatar")
async def upload_avatar(user_id: str, file: UploadFile = File(...)):
    if file.content_type not in ("image/png", "image/jpeg"):
        raise HTTPException(status_code=400, detail="png or jpeg only")
    data = await file.read()
    AVATARS[user_id] = data
    return {"user_id": user_id, "bytes": len(data)}
