"""Redis tracker store (several workers or hosts): one Lua script per `begin` and per `commit`.

Keys use a `{conversation id}` hash tag so one conversation's keys share a Redis Cluster slot:
`:meta` (hash: token hash, owner, seq), `:snap` (snapshot JSON), `:events` (list of turn records),
`:mids` (message id -> seq), `:lock` (holder's fencing token, `PX` lease), `:lockby` (the nonce of
the `begin` call that took it, same lease), `:fence` (INCR counter); `<prefix>:token:<hash>` (which
conversation a shopper token belongs to). Lock and fence keys survive `delete`, so a reused id can
never accept a stale holder's write. Every script can be repeated after a lost reply (see
`tracker_base`), so redis-py's own retry of a broken connection is safe.
The client is asyncio (one per event loop: TestClient runs a loop per request when not entered).
"""
from __future__ import annotations

import asyncio
import json
import time
import weakref

from service.tracker_base import (Begin, ConversationExists, ConversationNotFound, ConversationRecord,
                                  DuplicateMessage, StaleWrite, TokenMismatch, TrackerStore, TrackerUnavailable,
                                  dumps, load_record)

# KEYS: meta snap   ARGV: token_hash owner now snapshot -> 1 created | 2 already ours (same token) | 0 exists
_CREATE = """
local cur = redis.call('HGET', KEYS[1], 'token_hash')
if cur then
  if cur == ARGV[1] then return 2 end
  return 0
end
redis.call('HSET', KEYS[1], 'token_hash', ARGV[1], 'owner', ARGV[2], 'created_at', ARGV[3], 'updated_at', ARGV[3],
           'seq', 0)
if ARGV[4] ~= '' then redis.call('SET', KEYS[2], ARGV[4]) end
return 1
"""

# KEYS: meta snap lock fence mids events lockby
# ARGV: token_hash ('' = integrator) cached_seq ttl_ms message_id nonce
# -> {-1} not found | {-2} wrong token | {-3, pttl} busy | {1, record} replay | {0, fence, seq, snapshot|false}
_BEGIN = """
local meta = redis.call('HMGET', KEYS[1], 'token_hash', 'seq')
if not meta[1] then return {-1} end
if ARGV[1] ~= '' and meta[1] ~= ARGV[1] then return {-2} end
local seq = tonumber(meta[2] or '0')
if ARGV[4] ~= '' then
  local at = redis.call('HGET', KEYS[5], ARGV[4])
  if at then return {1, redis.call('LINDEX', KEYS[6], tonumber(at) - 1)} end
end
local token
if redis.call('EXISTS', KEYS[3]) == 1 then
  if ARGV[5] == '' or redis.call('GET', KEYS[7]) ~= ARGV[5] then return {-3, redis.call('PTTL', KEYS[3])} end
  token = redis.call('GET', KEYS[3])  -- our own grant, its reply was lost: the same again
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
  redis.call('PEXPIRE', KEYS[7], ARGV[3])
else
  token = redis.call('INCR', KEYS[4])
  redis.call('SET', KEYS[3], token, 'PX', ARGV[3])
  if ARGV[5] ~= '' then redis.call('SET', KEYS[7], ARGV[5], 'PX', ARGV[3]) end
end
local snap = false
if tonumber(ARGV[2]) ~= seq and ARGV[2] ~= '-2' then snap = redis.call('GET', KEYS[2]) end
return {0, token, seq, snap}
"""

# KEYS: meta snap events lock mids lockby   ARGV: fence expected_seq record snapshot message_id now release
# A record starts with {"seq":N,"fence":F; a repeated commit whose exact record is stored answers N again.
_COMMIT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
local new = tonumber(ARGV[2]) + 1
local head = '{"seq":' .. new .. ',"fence":' .. ARGV[1]
local record = head .. '}'
if ARGV[3] ~= '{}' then record = head .. ',' .. string.sub(ARGV[3], 2) end
if seq >= new and redis.call('LINDEX', KEYS[3], new - 1) == record then
  if ARGV[7] == '1' and redis.call('GET', KEYS[4]) == ARGV[1] then redis.call('DEL', KEYS[4], KEYS[6]) end
  return new
end
if redis.call('GET', KEYS[4]) ~= ARGV[1] then return -2 end
if seq ~= new - 1 then return -3 end
if ARGV[5] ~= '' then
  if redis.call('HSETNX', KEYS[5], ARGV[5], new) == 0 then return -4 end
end
redis.call('RPUSH', KEYS[3], record)
redis.call('SET', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[1], 'seq', new, 'updated_at', ARGV[6])
if ARGV[7] == '1' then redis.call('DEL', KEYS[4], KEYS[6]) end
return new
"""

# KEYS: lock lockby   ARGV: fence
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1], KEYS[2]) end
return 0
"""

# KEYS: lock lockby   ARGV: fence ttl_ms -> 1 renewed | 0 not ours any more
_EXTEND = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
"""

# Rate limit (GCRA, the token bucket as one timestamp): KEYS: key   ARGV: interval_ms burst
# -> 0 when allowed, else milliseconds until one more request is allowed. Redis's clock, so hosts agree.
_LIMIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - interval * burst
if allow_at > now then return math.ceil(allow_at - now) end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now))
return 0
"""

_COMMIT_ERRORS = {-1: ConversationNotFound, -2: StaleWrite, -3: StaleWrite, -4: DuplicateMessage}


class RedisTrackerStore(TrackerStore):
    kind = "redis"

    def __init__(self, url: str, *, prefix: str = "shoptalk", timeout: float = 2.0):
        import redis

        self._errors = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, redis.ReadOnlyError,
                        OSError, asyncio.TimeoutError)
        self._response_error = redis.ResponseError
        self.url, self.prefix, self.timeout = url, prefix, timeout
        self._clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def client(self):
        """The asyncio client (and its scripts) of the running event loop."""
        loop = asyncio.get_running_loop()
        entry = self._clients.get(loop)
        if entry is None:
            import redis.asyncio as aredis

            from redis.asyncio.retry import Retry
            from redis.backoff import ExponentialBackoff

            # A broken pooled connection (Redis restarted) is retried twice at once: safe because every
            # script can be repeated (module doc); longer outages are the service's to handle.
            client = aredis.Redis.from_url(self.url, socket_timeout=self.timeout,
                                           socket_connect_timeout=min(self.timeout, 1.0),
                                           retry=Retry(ExponentialBackoff(cap=0.05, base=0.01), 2),
                                           health_check_interval=30, max_connections=512, decode_responses=True)
            entry = (client, {name: client.register_script(src) for name, src in
                              (("create", _CREATE), ("begin", _BEGIN), ("commit", _COMMIT),
                                                       ("release", _RELEASE), ("extend", _EXTEND), ("limit", _LIMIT))})
            self._clients[loop] = entry
        return entry

    def _k(self, conv_id: str, part: str) -> str:
        return f"{self.prefix}:{{{conv_id}}}:{part}"

    async def _call(self, coro):
        try:
            return await coro
        except self._errors as exc:
            raise TrackerUnavailable(f"redis unavailable: {exc}") from exc
        except self._response_error as exc:
            if any(s in str(exc) for s in ("LOADING", "MASTERDOWN", "READONLY")):
                raise TrackerUnavailable(f"redis not serving: {exc}") from exc
            raise

    async def _script(self, name: str, keys: list[str], args: list):
        return await self._call(self.client()[1][name](keys=keys, args=args))

    def _token_key(self, token_hash: str) -> str:
        return f"{self.prefix}:token:{token_hash}"

    async def create(self, conv_id, *, token_hash, owner, snapshot):
        now = time.time()
        ok = await self._script("create", [self._k(conv_id, "meta"), self._k(conv_id, "snap")],
                                [token_hash, owner, now, dumps(snapshot) if snapshot else ""])
        if not int(ok):
            raise ConversationExists(conv_id)
        # another Cluster slot than the conversation, so not in the script; only tells 401 from 403
        await self._call(self.client()[0].set(self._token_key(token_hash), conv_id))
        return ConversationRecord(conv_id, token_hash, owner, now, now, 0, snapshot)

    async def token_known(self, token_hash):
        return bool(await self._call(self.client()[0].exists(self._token_key(token_hash))))

    async def get(self, conv_id, *, snapshot=True):
        client = self.client()[0]
        meta = self._k(conv_id, "meta")
        if snapshot:
            async with client.pipeline(transaction=False) as pipe:
                meta, snap = await self._call(pipe.hgetall(meta).get(self._k(conv_id, "snap")).execute())
        else:
            meta, snap = await self._call(client.hgetall(meta)), None
        if not meta or "token_hash" not in meta:
            return None
        return ConversationRecord(conv_id, meta["token_hash"], meta.get("owner", ""), float(meta["created_at"]),
                                  float(meta.get("updated_at", meta["created_at"])), int(meta.get("seq", 0)),
                                  json.loads(snap) if snap else None)

    async def _try_begin(self, conv_id, *, ttl, token_hash, cached_seq, message_id, nonce=""):
        keys = [self._k(conv_id, p) for p in ("meta", "snap", "lock", "fence", "mids", "events", "lockby")]
        r = await self._script("begin", keys, [token_hash or "", cached_seq, max(1, int(ttl * 1000)),
                                               message_id or "", nonce])
        status = int(r[0])
        if status == -1:
            raise ConversationNotFound(conv_id)
        if status == -2:
            raise TokenMismatch(conv_id)
        if status == -3:
            return max(int(r[1]), 0) / 1000
        if status == 1:
            return Begin(replay=load_record(r[1]))
        snap = r[3] if len(r) > 3 else None
        return Begin(fence=int(r[1]), seq=int(r[2]), snapshot=json.loads(snap) if snap else None)

    async def commit(self, conv_id, *, fence, expected_seq, record_json, snapshot_json, message_id=None,
                     release=True):
        keys = [self._k(conv_id, p) for p in ("meta", "snap", "events", "lock", "mids", "lockby")]
        result = int(await self._script("commit", keys, [fence, expected_seq, record_json, snapshot_json,
                                                         message_id or "", time.time(), "1" if release else "0"]))
        if result < 0:
            raise _COMMIT_ERRORS[result](f"{conv_id}: fence {fence}, expected turn {expected_seq}, "
                                         f"message {message_id!r} (code {result})")
        return result

    async def release(self, conv_id, token):
        await self._script("release", [self._k(conv_id, "lock"), self._k(conv_id, "lockby")], [token])

    async def extend(self, conv_id, token, ttl):
        return bool(await self._script("extend", [self._k(conv_id, "lock"), self._k(conv_id, "lockby")],
                                       [token, max(1, int(ttl * 1000))]))

    async def take_token(self, key: str, *, per_minute: float, burst: int) -> float:
        """Shared rate limit across workers and hosts: 0 when allowed, else seconds to wait."""
        wait_ms = await self._script("limit", [f"{self.prefix}:ratelimit:{key}"], [60000.0 / per_minute, burst])
        return int(wait_ms) / 1000

    async def find_message(self, conv_id, message_id):
        client = self.client()[0]
        seq = await self._call(client.hget(self._k(conv_id, "mids"), message_id))
        if seq is None:
            return None
        raw = await self._call(client.lindex(self._k(conv_id, "events"), int(seq) - 1))
        return load_record(raw) if raw else None

    async def turns(self, conv_id, *, after=0, limit=None):
        end = -1 if limit is None else after + limit - 1
        raw = await self._call(self.client()[0].lrange(self._k(conv_id, "events"), after, end))
        return [load_record(r) for r in raw]

    async def delete(self, conv_id):
        client = self.client()[0]
        token_hash = await self._call(client.hget(self._k(conv_id, "meta"), "token_hash"))
        keys = [self._k(conv_id, p) for p in ("meta", "snap", "events", "mids")]  # lock and fence stay
        deleted = bool(await self._call(client.delete(*keys)))
        if token_hash:
            await self._call(client.delete(self._token_key(token_hash)))
        return deleted

    async def ping(self):
        await self._call(self.client()[0].ping())

    async def aclose(self):
        try:
            entry = self._clients.pop(asyncio.get_running_loop(), None)
            if entry is not None:
                await entry[0].aclose()
        except Exception:  # pragma: no cover - closing a broken connection
            pass
