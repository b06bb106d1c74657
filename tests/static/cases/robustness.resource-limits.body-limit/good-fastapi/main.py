"""Avatar upload API (FastAPI): stores the uploaded avatar (at most 2 MB) per user."""

from fastapi import FastAPI, File, HTTPException, UploadFile

app = FastAPI()
AVATARS: dict[str, bytes] = {}
MAX_AVATAR = 2 * 1024 * 1024


@app.post("/users/{user_id}/avatar")
async def upload_avatar(user_id: str, file: UploadFile = File(...)):
    if file.content_type not in ("image/png", "image/jpeg"):
        raise HTTPException(status_code=400, detail="png or jpeg only")
    if file.size is None or file.size > MAX_AVATAR:
        raise HTTPException(status_code=413, detail="avatar too large")
    data = await file.read(MAX_AVATAR + 1)
    AVATARS[user_id] = data
    return {"user_id": user_id, "bytes": len(data)}
