"""Typed request and response bodies (they make /openapi.json)."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.contracts import BotMessage, Expecting, Turn

CONVERSATION_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$"


class CreateConversation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    conversation_id: str | None = Field(None, pattern=CONVERSATION_ID,
                                        description="Pick your own id (integrators only); default: random")


class ConversationCreated(BaseModel):
    conversation_id: str
    token: str = Field(description="Send as 'Authorization: Bearer <token>' to use this conversation")
    created_at: float


class SendMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="What the shopper typed, or a button payload such as "
                      "/return_items{\"order_id\": \"#W2378156\"}")
    message_id: str | None = Field(None, min_length=1, max_length=128, description="Idempotency key, one per "
                                   "message and the same on every retry of it: resending an id that is stored "
                                   "returns the stored turn (`replayed: true`) instead of processing it again")


class TurnResponse(Turn):
    seq: int = Field(description="1-based position of this turn in the conversation")
    replayed: bool = Field(False, description="True when message_id was seen before and the stored turn is returned")


class TranscriptEntry(BaseModel):
    seq: int
    ts: float
    user: str
    messages: list[BotMessage] = Field(default_factory=list)
    route: str | None = None


class ConversationState(BaseModel):
    conversation_id: str
    created_at: float
    updated_at: float
    turns: int
    active_flow: str | None = None
    flow_stack: list[str] = Field(default_factory=list)
    slots: dict[str, Any] = Field(default_factory=dict)
    expecting: Expecting | None = None
    ended: bool = False
    transcript: list[TranscriptEntry] = Field(default_factory=list)


class Deleted(BaseModel):
    conversation_id: str
    deleted: bool


class FlowInfo(BaseModel):
    id: str
    description: str = ""
    payload: str | None = None


class Health(BaseModel):
    status: Literal["ok", "ready", "not_ready"]
    components: dict[str, str] = Field(default_factory=dict)


class RasaMessage(BaseModel):
    sender: str = Field(min_length=1, max_length=256)
    message: str = Field(min_length=1)
    message_id: str | None = Field(None, min_length=1, max_length=128, description="Idempotency key (also read "
                                   "from metadata.message_id); the channel makes one up when absent and reuses "
                                   "it on its own retries")
    metadata: dict[str, Any] | None = None


class RasaButton(BaseModel):
    title: str
    payload: str


class RasaReply(BaseModel):
    recipient_id: str
    text: str
    buttons: list[RasaButton] = Field(default_factory=list)
