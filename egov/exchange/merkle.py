"""A Merkle tree over a batch of messages, so that one signature covers the batch and each
message can still be checked alone with its proof path.

Hashing, with domain separation so that a leaf can never pass for an inner node::

    leaf hash = H(0x00 || data)
    node hash = H(0x01 || left || right)

The tree is built level by level: nodes are paired left to right; when a level has an odd
number of nodes, the last one is **promoted** unchanged to the next level (it is not paired
with a copy of itself). Duplicating it instead, as Bitcoin did, makes the batches
``[a, b, c]`` and ``[a, b, c, c]`` share a root (CVE-2012-2459), so a batch could be changed
without changing its root. With promotion every root has exactly one list of leaves.

A proof is the list of siblings on the path from the leaf to the root, bottom first, each as
``(side, hash)``: ``side`` is ``"L"`` when the sibling is on the left (so the parent is
``H(0x01 || sibling || current)``) and ``"R"`` when it is on the right. A promoted node has
no sibling at its level, so a proof has at most ``ceil(log2(n))`` steps; a batch of one leaf
has an empty proof and its root is the leaf hash.

The hash function is pluggable: :data:`SHA256` (default) or :data:`SM3` (GB/T 32905, from
``cryptography``) where national cryptography is required.
"""

import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
LEFT = "L"
RIGHT = "R"
MAX_PROOF_LENGTH = 64

Proof = list[tuple[str, bytes]]


@dataclass(frozen=True)
class HashFunction:
    """A hash function for the tree: its name (as written in envelopes) and how to compute it."""

    name: str
    digest_size: int
    digest: Callable[[bytes], bytes]


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _sm3(data: bytes) -> bytes:
    context = hashes.Hash(hashes.SM3())
    context.update(data)
    return context.finalize()


SHA256 = HashFunction("sha256", 32, _sha256)
SM3 = HashFunction("sm3", 32, _sm3)
HASH_FUNCTIONS = {SHA256.name: SHA256, SM3.name: SM3}


def hash_function(name: str) -> HashFunction:
    """The hash function called ``name`` ("sha256" or "sm3"); KeyError if there is none."""
    try:
        return HASH_FUNCTIONS[name]
    except KeyError:
        raise KeyError(
            f"unknown Merkle hash {name!r}; use one of {', '.join(sorted(HASH_FUNCTIONS))}"
        ) from None


def leaf_hash(data: bytes, hasher: HashFunction = SHA256) -> bytes:
    return hasher.digest(LEAF_PREFIX + data)


def node_hash(left: bytes, right: bytes, hasher: HashFunction = SHA256) -> bytes:
    return hasher.digest(NODE_PREFIX + left + right)


class MerkleTree:
    """The tree of a batch: its root and the proof of each leaf."""

    def __init__(self, leaves: Sequence[bytes], hasher: HashFunction = SHA256):
        if not leaves:
            raise ValueError("a Merkle tree needs at least one leaf")
        self.hasher = hasher
        digest = hasher.digest
        level = [digest(LEAF_PREFIX + data) for data in leaves]
        self.levels = [level]
        while len(level) > 1:
            paired = [
                digest(NODE_PREFIX + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)
            ]
            if len(level) % 2:
                paired.append(level[-1])
            level = paired
            self.levels.append(level)

    def __len__(self) -> int:
        return len(self.levels[0])

    @property
    def root(self) -> bytes:
        return self.levels[-1][0]

    def proof(self, index: int) -> Proof:
        """The proof path of leaf ``index``, bottom first."""
        if not 0 <= index < len(self):
            raise IndexError(f"leaf {index} is not in a batch of {len(self)}")
        path = []
        for level in self.levels[:-1]:
            sibling = index ^ 1
            if sibling < len(level):
                path.append((LEFT if index & 1 else RIGHT, level[sibling]))
            index //= 2
        return path

    def proofs(self) -> list[Proof]:
        return [self.proof(index) for index in range(len(self))]


def root(leaves: Sequence[bytes], hasher: HashFunction = SHA256) -> bytes:
    """The root of the tree over ``leaves`` (the data, not their hashes)."""
    return MerkleTree(leaves, hasher).root


def proof(leaves: Sequence[bytes], index: int, hasher: HashFunction = SHA256) -> Proof:
    """The proof that ``leaves[index]`` is in the tree over ``leaves``."""
    return MerkleTree(leaves, hasher).proof(index)


def root_from_proof(leaf_data: bytes, proof: Proof, hasher: HashFunction = SHA256) -> bytes | None:
    """The root that ``proof`` leads to from ``leaf_data``; None if the proof is malformed."""
    if not isinstance(proof, list | tuple) or len(proof) > MAX_PROOF_LENGTH:
        return None
    digest = hasher.digest
    current = digest(LEAF_PREFIX + leaf_data)
    for step in proof:
        if not isinstance(step, list | tuple) or len(step) != 2:
            return None
        side, sibling = step
        if not isinstance(sibling, bytes) or len(sibling) != hasher.digest_size:
            return None
        if side == LEFT:
            current = digest(NODE_PREFIX + sibling + current)
        elif side == RIGHT:
            current = digest(NODE_PREFIX + current + sibling)
        else:
            return None
    return current


def verify(leaf_data: bytes, proof: Proof, root: bytes, hasher: HashFunction = SHA256) -> bool:
    """Whether ``proof`` shows that ``leaf_data`` is a leaf of the tree with ``root``."""
    computed = root_from_proof(leaf_data, proof, hasher)
    return computed is not None and hmac.compare_digest(computed, root)
