"""Signers, key files, the trust store with key rotation, and batch signatures."""

import datetime
import hashlib
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.exchange import merkle, signing
from egov.exchange.signing import (
    CachingVerifier,
    Ed25519Signer,
    KeyFileError,
    SignatureError,
    Signer,
    TrustedKey,
    TrustStore,
    Verifier,
    sign_batch,
    verify_in_batch,
)

UTC = datetime.UTC
T0 = datetime.datetime(2026, 1, 1, tzinfo=UTC)
HOUR = datetime.timedelta(hours=1)

# RFC 8032, section 7.1, test 1.
RFC8032_SECRET = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
RFC8032_SIGNATURE = bytes.fromhex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)


def trusted(signer, zone="external", valid_from=T0, valid_until=None) -> TrustedKey:
    return TrustedKey.from_pem(
        signer.public_key_pem(), zone=zone, valid_from=valid_from, valid_until=valid_until
    )


def rejection(call, *args, **kwargs) -> str:
    with pytest.raises(SignatureError) as caught:
        call(*args, **kwargs)
    return caught.value.reason


@pytest.fixture(scope="module")
def signer():
    return Ed25519Signer.generate()


# --- keys ----------------------------------------------------------------------------------


def test_ed25519_signs_as_rfc_8032_says():
    signer = Ed25519Signer(Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET))
    assert signer.public_key == RFC8032_PUBLIC
    assert signer.sign(b"") == RFC8032_SIGNATURE
    assert signer.algorithm == "ed25519"


def test_the_key_id_is_the_start_of_the_sha256_of_the_raw_public_key():
    signer = Ed25519Signer(Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET))
    assert signer.key_id == hashlib.sha256(RFC8032_PUBLIC).hexdigest()[:16]
    assert len(signer.key_id) == 16
    assert trusted(signer).key_id == signer.key_id


def test_the_ed25519_signer_and_the_trust_store_fit_the_interfaces(signer):
    assert isinstance(signer, Signer)
    assert isinstance(TrustStore(), Verifier)
    assert isinstance(CachingVerifier(TrustStore()), Verifier)


def test_generated_key_files_are_private_and_load_back(tmp_path):
    directory = tmp_path / "keys"
    files = signing.generate_key_pair(directory)
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(files.private_key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.public_key_path.stat().st_mode) == 0o644
    assert files.private_key_path.name == f"ed25519-{files.key_id}.private.pem"
    assert files.private_key_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")

    signer = signing.load_signer(files.private_key_path)
    key = signing.load_trusted_key(files.public_key_path, zone="internal", valid_from=T0)
    assert signer.key_id == key.key_id == files.key_id
    assert TrustStore([key]).verify(key.key_id, b"data", signer.sign(b"data")).zone == "internal"


def test_the_private_key_file_is_0600_whatever_the_umask(tmp_path):
    previous = os.umask(0)
    try:
        files = signing.generate_key_pair(tmp_path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(files.private_key_path.stat().st_mode) == 0o600


def test_a_private_key_file_others_can_read_is_refused(tmp_path):
    files = signing.generate_key_pair(tmp_path)
    files.private_key_path.chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        signing.load_signer(files.private_key_path)
    files.private_key_path.chmod(0o600)
    assert signing.load_signer(files.private_key_path).key_id == files.key_id


def test_a_passphrase_protects_the_private_key(tmp_path):
    files = signing.generate_key_pair(tmp_path, passphrase=b"correct horse")
    assert b"ENCRYPTED" in files.private_key_path.read_bytes()
    with pytest.raises(KeyFileError):
        signing.load_signer(files.private_key_path)
    with pytest.raises(KeyFileError):
        signing.load_signer(files.private_key_path, passphrase=b"wrong")
    signer = signing.load_signer(files.private_key_path, passphrase=b"correct horse")
    assert signer.key_id == files.key_id


def test_key_files_are_never_overwritten(tmp_path, signer):
    path = tmp_path / "existing.pem"
    path.write_bytes(b"keep me")
    with pytest.raises(KeyFileError, match="never overwritten"):
        signing._write_new_file(path, signer.private_key_pem(), 0o600)
    assert path.read_bytes() == b"keep me"


def test_missing_and_wrong_key_files_are_refused_with_a_reason(tmp_path):
    with pytest.raises(KeyFileError, match="no private key"):
        signing.load_signer(tmp_path / "absent.pem")
    other = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "ec.pem"
    path.write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    with pytest.raises(KeyFileError, match="not an Ed25519"):
        signing.load_signer(path)
    public_pem = other.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(KeyFileError, match="not Ed25519"):
        TrustedKey.from_pem(public_pem, zone="external", valid_from=T0)
    with pytest.raises(KeyFileError):
        TrustedKey.from_pem(b"not a key", zone="external", valid_from=T0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key_id": "0" * 16}, "does not match"),
        ({"zone": "dmz"}, "zone"),
        ({"algorithm": "rsa"}, "unknown signature algorithm"),
        ({"valid_from": datetime.datetime(2026, 1, 1)}, "timezone-aware"),
        ({"valid_until": T0}, "later than valid_from"),
        ({"public_key": b"\x01" * 31, "key_id": signing.key_id_for(b"\x01" * 31)}, "32 bytes"),
    ],
)
def test_a_trusted_key_must_be_consistent(signer, changes, message):
    fields = {
        "key_id": signer.key_id,
        "zone": "external",
        "algorithm": "ed25519",
        "public_key": signer.public_key,
        "valid_from": T0,
        "valid_until": None,
        **changes,
    }
    with pytest.raises(ValueError, match=message):
        TrustedKey(**fields)


# --- the trust store -----------------------------------------------------------------------


def test_a_valid_signature_with_a_trusted_key_is_accepted(signer):
    store = TrustStore([trusted(signer)])
    key = store.verify(signer.key_id, b"message", signer.sign(b"message"), at=T0 + HOUR)
    assert key.key_id == signer.key_id and key.zone == "external"


def test_a_wrong_signature_is_refused(signer):
    store = TrustStore([trusted(signer)])
    signature = signer.sign(b"message")
    assert rejection(store.verify, signer.key_id, b"messagE", signature) == "bad_signature"
    other = Ed25519Signer.generate().sign(b"message")
    assert rejection(store.verify, signer.key_id, b"message", other) == "bad_signature"
    assert rejection(store.verify, signer.key_id, b"message", signature[:-1]) == "bad_signature"


def test_an_unknown_key_is_refused(signer):
    stranger = Ed25519Signer.generate()
    store = TrustStore([trusted(signer)])
    signature = stranger.sign(b"message")
    assert rejection(store.verify, stranger.key_id, b"message", signature) == "unknown_key"


def test_rotation_with_an_overlap_period(signer):
    switch = T0 + 10 * HOUR
    overlap = 2 * HOUR
    new_signer = Ed25519Signer.generate()
    store = TrustStore(
        [
            trusted(signer, valid_from=T0, valid_until=switch + overlap),
            trusted(new_signer, valid_from=switch),
        ]
    )
    old_signature = signer.sign(b"m")
    new_signature = new_signer.sign(b"m")

    before_switch = switch - HOUR
    assert store.verify(signer.key_id, b"m", old_signature, at=before_switch)
    assert rejection(store.verify, new_signer.key_id, b"m", new_signature, at=before_switch) == (
        "key_not_yet_valid"
    )
    in_overlap = switch + HOUR
    assert store.verify(signer.key_id, b"m", old_signature, at=in_overlap)
    assert store.verify(new_signer.key_id, b"m", new_signature, at=in_overlap)
    end = switch + overlap
    assert store.verify(
        signer.key_id, b"m", old_signature, at=end - datetime.timedelta(microseconds=1)
    )
    assert rejection(store.verify, signer.key_id, b"m", old_signature, at=end) == "expired_key"
    assert store.verify(new_signer.key_id, b"m", new_signature, at=end)


def test_validity_is_checked_against_now_by_default(signer):
    now = datetime.datetime.now(UTC)
    store = TrustStore([trusted(signer, valid_from=now - 2 * HOUR, valid_until=now - HOUR)])
    assert rejection(store.verify, signer.key_id, b"m", signer.sign(b"m")) == "expired_key"


def test_a_key_is_trusted_only_once(signer):
    store = TrustStore([trusted(signer)])
    with pytest.raises(ValueError, match="already"):
        store.add(trusted(signer, valid_from=T0 + HOUR))
    assert len(store) == 1 and store.get(signer.key_id) is not None


def test_the_caching_verifier_checks_a_signature_once_but_validity_every_time(signer):
    store = TrustStore([trusted(signer, valid_until=T0 + HOUR)])
    verifier = CachingVerifier(store, max_entries=2)
    signature = signer.sign(b"m")
    assert verifier.verify(signer.key_id, b"m", signature, at=T0)
    assert verifier.verify(signer.key_id, b"m", signature, at=T0)
    assert rejection(verifier.verify, signer.key_id, b"m", signature, at=T0 + HOUR) == (
        "expired_key"
    )
    for _ in range(2):  # a refusal is not remembered as a success
        assert rejection(verifier.verify, signer.key_id, b"M", signature, at=T0) == (
            "bad_signature"
        )
    for message in (b"a", b"b", b"c"):  # the cache stays within its bound
        verifier.verify(signer.key_id, message, signer.sign(message), at=T0)
    assert len(verifier._valid) == 2


# --- batches -------------------------------------------------------------------------------


@settings(max_examples=25)
@given(st.lists(st.binary(max_size=64), min_size=1, max_size=200))
def test_each_message_of_a_signed_batch_verifies_alone(leaves):
    signer = Ed25519Signer(Ed25519PrivateKey.from_private_bytes(RFC8032_SECRET))
    store = TrustStore([trusted(signer)])
    batch = sign_batch(signer, leaves)
    root, signature, proofs = batch
    assert len(proofs) == len(leaves)
    for leaf, proof in zip(leaves, proofs, strict=True):
        key = verify_in_batch(store, leaf, proof, root, signature, signer.key_id, at=T0)
        assert key.key_id == signer.key_id


def test_the_signature_covers_the_root_with_context_and_hash_name(signer):
    batch = sign_batch(signer, [b"a", b"b"])
    message = b"egov-exchange-batch/1\x00sha256\x00" + batch.root
    assert signing.batch_message(batch.root) == message
    TrustStore([trusted(signer)]).verify(signer.key_id, message, batch.signature, at=T0)
    # A bare signature over the root is not a batch signature.
    assert signing.batch_message(batch.root, merkle.SM3) != message


def test_tampering_with_a_message_of_a_batch_is_refused(signer):
    store = TrustStore([trusted(signer)])
    leaves = [f"message {i}".encode() for i in range(10)]
    root, signature, proofs = sign_batch(signer, leaves)

    def check(leaf=leaves[3], proof=proofs[3], root=root, signature=signature, **kwargs):
        return verify_in_batch(store, leaf, proof, root, signature, signer.key_id, at=T0, **kwargs)

    assert check()
    assert rejection(check, leaf=b"message 4") == "bad_proof"
    assert rejection(check, proof=proofs[4]) == "bad_proof"
    assert rejection(check, signature=bytes(64)) == "bad_signature"
    assert rejection(check, hasher=merkle.SM3) == "bad_proof"
    # A root built by someone else around the message: the proof fits, the signature does not.
    forged = merkle.MerkleTree([leaves[3], b"forged"])
    assert rejection(check, proof=forged.proof(0), root=forged.root) == "bad_signature"


def test_an_unknown_or_expired_key_is_refused_before_the_proof_is_looked_at(signer):
    leaves = [b"a", b"b", b"c"]
    root, signature, proofs = sign_batch(signer, leaves)
    store = TrustStore([trusted(signer, valid_until=T0 + HOUR)])
    late = T0 + 2 * HOUR
    assert rejection(
        verify_in_batch, store, b"x", proofs[0], root, signature, signer.key_id, at=late
    ) == ("expired_key")
    assert rejection(
        verify_in_batch, TrustStore(), b"x", proofs[0], root, signature, signer.key_id
    ) == ("unknown_key")


def test_a_batch_can_be_hashed_with_sm3(signer):
    store = TrustStore([trusted(signer)])
    leaves = [b"a", b"b", b"c"]
    root, signature, proofs = sign_batch(signer, leaves, merkle.SM3)
    assert root == merkle.root(leaves, merkle.SM3)
    assert verify_in_batch(
        store, b"b", proofs[1], root, signature, signer.key_id, hasher=merkle.SM3, at=T0
    )
