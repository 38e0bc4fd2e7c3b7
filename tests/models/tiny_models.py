"""Tiny models built on the spot (seconds, no network) so every backend path runs for real.

Each builder writes what a real model ships: a MarianMT directory (source.spm, target.spm,
vocab.json), a causal chat directory (tokenizer.json with a ChatML template, Qwen2 weights) and a
llama-architecture GGUF file (byte-level BPE vocabulary, merges, chat template). Weights are random:
outputs are gibberish, but deterministic. A "silent" model always ends at once (EOS first).
The fixtures that call these live in conftest.py.
"""

from __future__ import annotations

import itertools
import json
import shutil
import warnings
from pathlib import Path

SEED = 0
CHATML = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# EOS first (id 0): a model whose logits are all equal then picks EOS (argmax takes the first maximum).
CHAT_SPECIALS = ["<|im_end|>", "<|endoftext|>", "<|im_start|>"]
TARGET_LANG_TOKEN = "eng_Latn"  # an NLLB-style language token added to the Marian vocabulary

_IT = (
    ["il sindaco", "la ministra", "il governo", "la polizia", "il presidente", "la regione", "il comune", "la banca"],
    ["annuncia", "approva", "rinvia", "critica", "difende", "presenta"],
    ["il bilancio", "la legge", "il piano", "la riforma", "le tasse", "il contratto", "il ponte", "lo stadio"],
)
_EN = (
    ["the mayor", "the minister", "the government", "the police", "the president", "the region", "the town", "the bank"],
    ["announces", "approves", "postpones", "criticises", "defends", "presents"],
    ["the budget", "the law", "the plan", "the reform", "the taxes", "the contract", "the bridge", "the stadium"],
)


def sentences() -> list[str]:
    """About 200 short Italian and English news sentences, made from the word lists above."""
    out: list[str] = []
    for (subjects, verbs, objects), tail in ((_IT, "oggi, con 12 voti."), (_EN, "today, with 12 votes.")):
        for i, (subject, verb, obj) in enumerate(itertools.product(subjects, verbs, objects)):
            if i % 4 == 0:
                out.append(f"{subject.capitalize()} {verb} {obj} {tail}")
    return out


# --- MarianMT -------------------------------------------------------------------------------


def build_marian(out: Path, corpus: list[str], *, silent: bool = False) -> Path:
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    work = out.with_name(out.name + "-spm")
    work.mkdir(parents=True)
    text = work / "corpus.txt"
    text.write_text("\n".join(corpus) + "\n", encoding="utf-8")
    for side in ("source", "target"):
        spm.SentencePieceTrainer.train(
            input=str(text), model_prefix=str(work / side), vocab_size=300, hard_vocab_limit=False,
            model_type="unigram", character_coverage=1.0, unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1,
            minloglevel=2, num_threads=1,
        )
    processor = spm.SentencePieceProcessor(model_file=str(work / "source.model"))
    vocab = {"</s>": 0, "<unk>": 1, "<pad>": 2}
    for index in range(processor.get_piece_size()):
        vocab.setdefault(processor.id_to_piece(index), len(vocab))
    vocab[TARGET_LANG_TOKEN] = len(vocab)
    out.mkdir(parents=True)
    (out / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    shutil.copy(work / "source.model", out / "source.spm")
    shutil.copy(work / "target.model", out / "target.spm")
    with warnings.catch_warnings():  # "Recommended: pip install sacremoses" (an optional normaliser)
        warnings.filterwarnings("ignore", "Recommended", UserWarning)
        tokenizer = MarianTokenizer(
            source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"), vocab=str(out / "vocab.json"),
            source_lang="it", target_lang="en",
        )
    tokenizer.save_pretrained(out)
    config = MarianConfig(
        vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=128,
        pad_token_id=vocab["<pad>"], eos_token_id=vocab["</s>"], decoder_start_token_id=vocab["<pad>"],
    )
    torch.manual_seed(SEED)
    model = MarianMTModel(config)
    if silent:
        with torch.no_grad():
            model.final_logits_bias[0, vocab["</s>"]] = 1000.0
    model.save_pretrained(out)
    return out


# --- causal chat (Qwen2 + byte-level BPE with a ChatML template) ------------------------------


def train_bpe(corpus: list[str]):  # -> tokenizers.Tokenizer
    """Byte-level BPE split the way Qwen2 splits (digits one by one), as transformers and llama.cpp expect."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers.models.qwen2.tokenization_qwen2 import PRETOKENIZE_REGEX

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(PRETOKENIZE_REGEX), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=300, special_tokens=CHAT_SPECIALS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus, trainer)
    return tokenizer


def ascii_token_mask(tokens: list[str]) -> list[bool]:
    """True for byte-level tokens that spell printable ASCII.

    The random models may only emit these (other logits are 0, and some printable token always scores
    higher), so outputs are readable text: llama.cpp holds back bytes of an unfinished UTF-8 character,
    which would make its token counts and text differ from transformers'.
    """
    from transformers.convert_slow_tokenizer import bytes_to_unicode

    byte_of = {char: byte for byte, char in bytes_to_unicode().items()}
    return [
        token not in CHAT_SPECIALS and all(32 <= byte_of.get(char, 0) < 127 for char in token) for token in tokens
    ]


def _tokens(bpe) -> list[str]:
    return [token for token, _ in sorted(bpe.get_vocab().items(), key=lambda item: item[1])]


def build_chat(out: Path, bpe, *, silent: bool = False) -> Path:
    import torch
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe, eos_token="<|im_end|>", pad_token="<|endoftext|>", chat_template=CHATML
    )
    tokenizer.save_pretrained(out)
    config = Qwen2Config(
        vocab_size=bpe.get_vocab_size(), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
        num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=256, tie_word_embeddings=False,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id, bos_token_id=None,
    )
    torch.manual_seed(SEED)
    model = Qwen2ForCausalLM(config)
    with torch.no_grad():
        model.lm_head.weight[~torch.tensor(ascii_token_mask(_tokens(bpe)))] = 0.0
        if silent:  # zero final norm: every logit is 0, greedy picks id 0, which is EOS
            model.model.norm.weight.zero_()
    model.save_pretrained(out)
    return out


# --- GGUF (llama architecture, F32, byte-level BPE) --------------------------------------------


def build_gguf(path: Path, bpe, *, silent: bool = False) -> Path:
    import gguf
    import numpy as np

    state = json.loads(bpe.to_str())
    vocab: dict[str, int] = bpe.get_vocab()
    tokens = _tokens(bpe)
    merges = [m if isinstance(m, str) else " ".join(m) for m in state["model"]["merges"]]
    n_vocab, n_embd, n_ff, n_head, n_kv = len(tokens), 32, 64, 2, 1
    head_dim = n_embd // n_head

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("tiny-test-llama")
    writer.add_context_length(256)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(1)
    writer.add_feed_forward_length(n_ff)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_kv)
    writer.add_rope_dimension_count(head_dim)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_vocab_size(n_vocab)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens)
    writer.add_token_merges(merges)
    writer.add_token_types([gguf.TokenType.CONTROL if t in CHAT_SPECIALS else gguf.TokenType.NORMAL for t in tokens])
    writer.add_eos_token_id(vocab["<|im_end|>"])
    writer.add_bos_token_id(vocab["<|endoftext|>"])
    writer.add_pad_token_id(vocab["<|endoftext|>"])
    writer.add_add_bos_token(False)
    writer.add_chat_template(CHATML)

    rng = np.random.default_rng(SEED)

    def rand(*shape: int) -> np.ndarray:  # numpy (out, in) order, as torch Linear weights
        return (rng.standard_normal(shape) * 0.5).astype(np.float32)

    norm = np.zeros if silent else np.ones
    writer.add_tensor("token_embd.weight", rand(n_vocab, n_embd))
    writer.add_tensor("output_norm.weight", norm(n_embd, dtype=np.float32))
    output = rand(n_vocab, n_embd)
    output[~np.array(ascii_token_mask(tokens))] = 0.0
    writer.add_tensor("output.weight", output)
    writer.add_tensor("blk.0.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
    writer.add_tensor("blk.0.attn_q.weight", rand(n_head * head_dim, n_embd))
    writer.add_tensor("blk.0.attn_k.weight", rand(n_kv * head_dim, n_embd))
    writer.add_tensor("blk.0.attn_v.weight", rand(n_kv * head_dim, n_embd))
    writer.add_tensor("blk.0.attn_output.weight", rand(n_embd, n_head * head_dim))
    writer.add_tensor("blk.0.ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
    writer.add_tensor("blk.0.ffn_gate.weight", rand(n_ff, n_embd))
    writer.add_tensor("blk.0.ffn_up.weight", rand(n_ff, n_embd))
    writer.add_tensor("blk.0.ffn_down.weight", rand(n_embd, n_ff))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def chatml(messages: list[dict[str, str]]) -> str:
    """The prompt the tiny models' chat template renders, written out by hand."""
    turns = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return turns + "<|im_start|>assistant\n"
