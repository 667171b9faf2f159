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
import time
from pathlib import Path

import yaml


def configure_finetune(p: argparse.ArgumentParser) -> None:
    p.add_argument("--steps", type=int, default=20, help="optimizer steps (default 20: ~2-4 minutes on 2 cores)")
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
        elif p.source == "policy":
            pairs.append((f"What is the rule for {p.section.lower()}?", p.text))
        else:
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

    from engine.knowledge import Retriever, load_passages

    from .answerer import SYSTEM_PROMPT
    from .embedded import convert_gguf
    from .settings import GeneratorSettings

    project = Path(args.project).resolve()
    settings = GeneratorSettings.load(project)
    torch.set_num_threads(settings.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    base_dir = convert_gguf(project / "models")
    pairs = build_pairs(project, args.transcripts)
    retriever = Retriever(load_passages(project), embed=False)
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
        facts = "\n".join(f"- {h.passage.section}: {h.passage.text}" for h in retriever.search(q, k=2))
        msgs = [{"role": "system", "content": SYSTEM_PROMPT.format(facts=facts)}, {"role": "user", "content": q}]
        prompt = tok.apply_chat_template(msgs, add_generation_prompt=True, tokenize=False)
        p_ids = tok(prompt, add_special_tokens=False)["input_ids"]
        a_ids = tok(a + "<|im_end|>", add_special_tokens=False)["input_ids"]
        ids = (p_ids + a_ids)[-384:]
        labels = ([-100] * len(p_ids) + a_ids)[-384:]
        return ids, labels

    data = [encode(q, a) for q, a in pairs]
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
        "steps": args.steps, "batch": args.batch, "lr": lr, "rank": None if args.full else args.rank,
        "pairs": len(pairs), "transcripts": str(args.transcripts) if args.transcripts else None,
        "first_loss": losses[0] if losses else None, "last_loss": losses[-1] if losses else None,
        "seconds": round(time.perf_counter() - t0, 1), "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    (out / "finetune_manifest.json").write_text(json.dumps(manifest, indent=2))
    print(f"saved {out} ({len(pairs)} pairs, loss {manifest['first_loss']:.3f} -> {manifest['last_loss']:.3f})")
    print(f"use it: set `finetuned: {out.relative_to(project)}` in models/generator_settings.yaml")
    return 0


def _score(answerer, questions) -> dict:
    from .grounding import check_support

    raw_hit = raw_bad = hit = bad = 0
    for item in questions:
        ans = answerer.answer(item["q"])
        exp = [e.lower() for e in item["expect"]]
        raw = ans.generated or ""
        hits = answerer.retriever.search(item["q"], k=answerer.settings.top_k)
        raw_hit += any(e in raw.lower() for e in exp)
        raw_bad += bool(raw) and not check_support(raw, [h.passage.text for h in hits],
                                                   product_names=answerer.product_names, question=item["q"]).supported
        hit += any(e in ans.text.lower() for e in exp)
        bad += not ans.supported
    n = max(len(questions), 1)
    return {"n": len(questions), "raw_fact": raw_hit / n, "raw_unsupported": raw_bad / n,
            "final_fact": hit / n, "final_unsupported": bad / n}


def evaluate(args) -> int:
    from . import load_answerer
    from .settings import GeneratorSettings

    project = Path(args.project).resolve()
    qs = [q for q in _questions(project, args.questions) if q.get("source") != "recommendation"]
    if not args.all:
        qs = [q for q in qs if q.get("split") == "heldout"]
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
    print(f"{'model':32} {'n':>3} {'raw fact':>9} {'raw unsupp':>11} {'final fact':>11} {'final unsupp':>13}")
    for name, r in rows:
        print(f"{name:32} {r['n']:>3} {r['raw_fact']:>9.0%} {r['raw_unsupported']:>11.0%} "
              f"{r['final_fact']:>11.0%} {r['final_unsupported']:>13.0%}")
    return 0
