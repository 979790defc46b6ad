"""Merkle trees for batch signatures: roots, proofs and their checks."""

import hashlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.exchange import merkle
from egov.exchange.merkle import SHA256, SM3, MerkleTree, proof, root, verify

batches = st.lists(st.binary(max_size=40), min_size=1, max_size=300)
unique_batches = st.lists(st.binary(max_size=40), min_size=2, max_size=300, unique=True)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def flip(data: bytes, index: int, bit: int = 0) -> bytes:
    return data[:index] + bytes([data[index] ^ (1 << bit)]) + data[index + 1 :]


@given(batches)
def test_every_leaf_verifies_against_the_root(leaves):
    tree = MerkleTree(leaves)
    for index, data in enumerate(leaves):
        path = tree.proof(index)
        assert len(path) <= math.ceil(math.log2(len(leaves)))
        assert verify(data, path, tree.root)


@settings(max_examples=20)
@given(batches)
def test_every_leaf_verifies_with_sm3_too(leaves):
    tree = MerkleTree(leaves, SM3)
    assert tree.root != MerkleTree(leaves, SHA256).root
    for index, data in enumerate(leaves):
        assert verify(data, tree.proof(index), tree.root, SM3)
        assert not verify(data, tree.proof(index), tree.root, SHA256)


@given(unique_batches, st.data())
def test_a_proof_for_one_leaf_does_not_verify_another(leaves, data):
    i = data.draw(st.integers(0, len(leaves) - 1))
    j = data.draw(st.integers(0, len(leaves) - 1).filter(lambda j: j != i))
    tree = MerkleTree(leaves)
    assert not verify(leaves[j], tree.proof(i), tree.root)


@given(batches, st.data())
def test_flipping_any_bit_of_the_data_fails(leaves, data):
    index = data.draw(st.integers(0, len(leaves) - 1))
    leaf = leaves[index]
    tree = MerkleTree(leaves)
    path = tree.proof(index)
    for position in range(len(leaf)):
        bit = data.draw(st.integers(0, 7))
        assert not verify(flip(leaf, position, bit), path, tree.root)
    assert not verify(leaf + b"\x00", path, tree.root)
    if leaf:
        assert not verify(leaf[:-1], path, tree.root)


@given(unique_batches, st.data())
def test_changing_any_byte_or_side_of_the_proof_fails(leaves, data):
    index = data.draw(st.integers(0, len(leaves) - 1))
    tree = MerkleTree(leaves)
    path = tree.proof(index)
    assert path, "a batch of two or more leaves has a non-empty proof"
    for step, (side, sibling) in enumerate(path):
        for position in range(len(sibling)):
            changed = list(path)
            changed[step] = (side, flip(sibling, position, data.draw(st.integers(0, 7))))
            assert not verify(leaves[index], changed, tree.root)
        swapped = list(path)
        swapped[step] = ("L" if side == "R" else "R", sibling)
        assert not verify(leaves[index], swapped, tree.root)
    assert not verify(leaves[index], path[:-1], tree.root)
    assert not verify(leaves[index], [*path, path[-1]], tree.root)
    assert not verify(leaves[index], path, flip(tree.root, 0))


def test_a_single_leaf_batch_has_the_leaf_hash_as_root_and_an_empty_proof():
    assert root([b"only"]) == sha256(b"\x00only")
    assert proof([b"only"], 0) == []
    assert verify(b"only", [], root([b"only"]))
    assert not verify(b"other", [], root([b"only"]))


def test_the_tree_is_built_as_documented():
    a, b, c = (sha256(b"\x00" + x) for x in (b"a", b"b", b"c"))
    ab = sha256(b"\x01" + a + b)
    # Three leaves: c has no partner and is promoted, not paired with itself.
    assert root([b"a", b"b", b"c"]) == sha256(b"\x01" + ab + c)
    assert proof([b"a", b"b", b"c"], 0) == [("R", b), ("R", c)]
    assert proof([b"a", b"b", b"c"], 1) == [("L", a), ("R", c)]
    assert proof([b"a", b"b", b"c"], 2) == [("L", ab)]


@given(st.lists(st.binary(max_size=8), min_size=1, max_size=40))
def test_repeating_the_last_leaf_changes_the_root(leaves):
    # CVE-2012-2459: with duplication of odd nodes, [a, b, c] and [a, b, c, c] share a root.
    assert root(leaves) != root([*leaves, leaves[-1]])


def test_an_inner_node_cannot_pass_for_a_leaf():
    leaves = [b"a", b"b", b"c", b"d"]
    tree = MerkleTree(leaves)
    left, right = tree.levels[0][0], tree.levels[0][1]
    # Without domain separation, "left || right" with a one-step proof would reach the root.
    assert not verify(left + right, [("R", tree.levels[1][1])], tree.root)


def test_sm3_is_the_gb_t_32905_hash():
    # Example 1 of GB/T 32905-2016: SM3("abc").
    assert SM3.digest(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert merkle.hash_function("sm3") is SM3
    with pytest.raises(KeyError):
        merkle.hash_function("md5")


@pytest.mark.parametrize(
    "bad_proof",
    [
        None,
        "R",
        [("R",)],
        [("X", b"\x00" * 32)],
        [("R", b"\x00" * 31)],
        [("R", "00" * 32)],
        [("R", b"\x00" * 32)] * (merkle.MAX_PROOF_LENGTH + 1),
    ],
)
def test_a_malformed_proof_is_false_not_an_error(bad_proof):
    assert verify(b"a", bad_proof, root([b"a"])) is False


def test_an_empty_batch_and_a_missing_leaf_are_errors():
    with pytest.raises(ValueError):
        MerkleTree([])
    with pytest.raises(IndexError):
        proof([b"a", b"b"], 2)
