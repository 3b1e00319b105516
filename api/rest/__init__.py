"""The JSON REST API under /api/v1: one router module per resource."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")
