"""HTTP routes of the gateway area."""

from fastapi import APIRouter

router = APIRouter()
