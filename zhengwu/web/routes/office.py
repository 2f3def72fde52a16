"""HTTP routes of the office area."""

from fastapi import APIRouter

router = APIRouter()
