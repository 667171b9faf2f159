"""`shoptalk finetune` and `shoptalk eval-generator`.

finetune: builds question/answer pairs from the policy, the catalogue, the FAQ and (optionally)
exported transcripts (JSON lines of events), trains LoRA adapters (default) or the full model on CPU
with a progress bar, and saves under models/finetuned/<name>/ with a manifest. Questions marked
`split: heldout` in bench/data/gen_questions.yaml are never used for training.

eval-generator: base vs fine-tuned on the held-out split: share of answers containing the expected
fact and share with an unsupported claim, both for the raw model output and after the guardrails.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import time
from pathlib import Path

import yaml


def configure_finetune(p: argparse.ArgumentParser) -> None:
    p.add_argument("--steps", type=int, default=80, help="optimizer steps (default 80: ~6 min at ~4.5 s/step on 1 busy core)")
    p.add_argument("--full", action="store_true", help="full fine-tune instead of LoRA adapters")
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--rank", type=int, default=8, help="LoRA rank")
    p.add_argument("--transcripts", type=Path, default=None, help="JSON lines of conversation events")
    p.add_argument("--name", default=None, help="folder name under models/finetuned/")
    p.add_argument("--seed", type=int, default=0)


def configure_evaluate(p: argparse.ArgumentParser) -> None:
    p.add_argument("--finetuned", type=Path, default=None, help="fine-tuned folder (default: newest in models/finetuned)")
    p.add_argument("--questions", type=Path, default=None)
    p.add_argument("--all", action="store_true", help="evaluate on every question, not only the held-out split")
    p.add_argument("--limit", type=int, default=40, help="at most this many questions (bounds the run time)")


def _questions(project: Path, path: Path | None = None) -> list[dict]:
    path = path or project / "bench" / "data" / "gen_questions.yaml"
    return yaml.safe_load(path.read_text())["questions"] if path.exists() else []


def transcript_pairs(path: Path) -> list[tuple[str, str]]:
    """Consecutive (user text, bot text) from JSON-lines events ({"event"|"type": "user"/"bot", "text"})."""
    pairs, last_user = [], None
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if not isinstance(ev, dict):  # a JSON line that is not an event object
            continue
        kind = ev.get("event") or ev.get("type") or ev.get("role")
        text = ev.get("text") or ev.get("content") or ""
        if kind == "user":
            last_user = text
        elif kind in ("bot", "assistant") and last_user and text:
            pairs.append((last_user, text))
            last_user = None
    return pairs


def build_pairs(project: Path, transcripts: Path | None = None) -> list[tuple[str, str]]:
    from engine.knowledge import load_passages

    held = {q["q"].lower() for q in _questions(project) if q.get("split") == "heldout"}
    pairs: list[tuple[str, str]] = []
    for p in load_passages(project):
        if p.source == "faq":
            pairs.append((p.section, p.text))
        elif p.source == "policy":  # one sentence, as the prompt asks for
            if p.section != "Overview":  # agent-facing instructions, not shopper answers
                first = re.split(r"(?<=[a-z0-9'][.!?])\s+(?=[A-Z])", p.text)[0]
                pairs.append((f"What is the rule for {p.section.lower()}?", first))
        elif not any(p.section.lower() in q for q in held):  # held-out products stay unseen
            name, opts = p.section, p.meta.get("options", {})
            pairs.append((f"How much does the {name.lower()} cost?", f"The {name} has {p.meta.get('price_text')}."))
            for key, vals in opts.items():
                pairs.append((f"What {key} options does the {name.lower()} have?",
                              f"The {name} comes in {key} {', '.join(vals)}."))
    for q in _questions(project):
        if q.get("split") != "heldout" and q.get("source") != "recommendation":
            pass  # bench questions are evaluation material; their answers come from the passages above
    if transcripts:
        pairs += transcript_pairs(transcripts)
    return [(q, a) for q, a in pairs if q.lower() not in held]


def finetune(args) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from tqdm import tqdm
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from . import load_answerer
    from .embedded import convert_gguf
    from .settings import GeneratorSettings

    project = Path(args.project).resolve()
    settings = GeneratorSettings.load(project)
    torch.set_num_threads(settings.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    base_dir = convert_gguf(project / "models")
    pairs = build_pairs(project, args.transcripts)
    answerer = load_answerer(project, settings.model_copy(update={"backend": "none"}))
    tok = AutoTokenizer.from_pretrained(str(base_dir))
    model = AutoModelForCausalLM.from_pretrained(str(base_dir), dtype=torch.float32)
    if not args.full:
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(model, LoraConfig(r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.0,
                                                 target_modules=["q_proj", "k_proj", "v_proj", "o_proj"],
                                                 task_type="CAUSAL_LM"))
    lr = args.lr or (2e-4 if not args.full else 2e-5)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)

    def encode(q: str, a: str):
        """The prompt exactly as at inference (same retrieval, passage selection and template)."""
        routed = answerer.route(q, [])
        kind, hits, clean = routed.kind, routed.hits, routed.clean
        if kind != "generate" or not hits:
            return None
        prompt = tok.apply_chat_template(answerer._messages(clean, hits), add_generation_prompt=True, tokenize=False)
        p_ids = tok(prompt, add_special_tokens=False)["input_ids"]
        a_ids = tok(a + "<|im_end|>", add_special_tokens=False)["input_ids"]
        ids = (p_ids + a_ids)[-384:]
        labels = ([-100] * len(p_ids) + a_ids)[-384:]
        return ids, labels

    data = [d for d in (encode(q, a) for q, a in pairs) if d is not None]
    model.train()
    losses = []
    t0 = time.perf_counter()
    for _step in tqdm(range(args.steps), desc="finetune", unit="step"):
        batch = random.sample(data, min(args.batch, len(data)))
        width = max(len(i) for i, _ in batch)
        ids = torch.tensor([i + [tok.pad_token_id or 0] * (width - len(i)) for i, _ in batch])
        lab = torch.tensor([lb + [-100] * (width - len(lb)) for _, lb in batch])
        att = torch.tensor([[1] * len(i) + [0] * (width - len(i)) for i, _ in batch])
        loss = model(input_ids=ids, attention_mask=att, labels=lab).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
        losses.append(float(loss.detach()))
    name = args.name or f"{'full' if args.full else 'lora'}-{time.strftime('%Y%m%d-%H%M%S')}"
    out = project / "models" / "finetuned" / name
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    manifest = {
        "name": name, "mode": "full" if args.full else "lora", "base_model_dir": str(base_dir),
        "base_model_dir_relative": str(base_dir.relative_to(project)) if base_dir.is_relative_to(project) else None,
        "steps": args.steps, "batch": args.batch, "lr": lr, "rank": None if args.full else args.rank,
        "pairs": len(pairs), "pairs_used": len(data), "transcripts": str(args.transcripts) if args.transcripts else None,
        "first_loss": losses[0] if losses else None, "last_loss": losses[-1] if losses else None,
        "seconds": round(time.perf_counter() - t0, 1), "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    (out / "finetune_manifest.json").write_text(json.dumps(manifest, indent=2))
    print(f"saved {out} ({len(pairs)} pairs, loss {manifest['first_loss']:.3f} -> {manifest['last_loss']:.3f})")
    print(f"use it: set `finetuned: {out.relative_to(project)}` in models/generator_settings.yaml")
    return 0


def _score(answerer, questions) -> dict:
    """Raw model text and final answer: share with the expected fact / with an unsupported claim."""
    from .evaluation import fact_in

    raw_hit = raw_bad = hit = bad = kept = own = 0
    for item in questions:
        ans = answerer.answer(item["q"])
        raw = ans.generated or ""
        raw_hit += fact_in(raw, item["expect"])  # whole words: "one" is not in "none"
        # the answerer's own check of the raw text against the passages it retrieved
        raw_bad += bool(raw) and bool(answerer._check(raw, item["q"], answerer.route(item["q"], []).hits or
                                                      answerer.retriever.search(item["q"], k=1)))
        hit += fact_in(ans.text, item["expect"])
        bad += not ans.supported
        kept += ans.source == "generator"
        own += ans.source == "generator" and fact_in(ans.text, item["expect"])
    n = max(len(questions), 1)
    return {"n": len(questions), "raw_fact": raw_hit / n, "raw_unsupported": raw_bad / n,
            "final_fact": hit / n, "final_unsupported": bad / n, "generated": kept / n, "model_right": own / n}


def evaluate(args) -> int:
    from . import load_answerer
    from .settings import GeneratorSettings

    project = Path(args.project).resolve()
    qs = [q for q in _questions(project, args.questions) if q.get("source") != "recommendation"]
    if not args.all:
        qs = [q for q in qs if q.get("split") == "heldout"]
    qs = qs[: args.limit]
    ft = args.finetuned
    if ft is None:
        cands = sorted((project / "models" / "finetuned").glob("*/finetune_manifest.json"), key=lambda p: p.stat().st_mtime)
        ft = cands[-1].parent if cands else None
    base_settings = GeneratorSettings.load(project).model_copy(update={"backend": "embedded", "finetuned": None})
    rows = [("base", _score(load_answerer(project, base_settings), qs))]
    if ft is not None:
        rows.append((f"finetuned ({Path(ft).name})",
                     _score(load_answerer(project, base_settings.model_copy(update={"finetuned": str(ft)})), qs)))
    else:
        print("no fine-tuned model found under models/finetuned (run `shoptalk finetune`)")
    print(f"{'model':32} {'n':>3} {'raw fact':>9} {'raw unsupp':>11} {'final fact':>11} {'final unsupp':>13} "
          f"{'generated':>10} {'model right':>12}")
    for name, r in rows:
        print(f"{name:32} {r['n']:>3} {r['raw_fact']:>9.0%} {r['raw_unsupported']:>11.0%} "
              f"{r['final_fact']:>11.0%} {r['final_unsupported']:>13.0%} {r['generated']:>10.0%} "
              f"{r['model_right']:>12.0%}")
    print("model right: the model's own wording was kept and states the expected fact (final fact also counts "
          "quoted passages)")
    return 0
