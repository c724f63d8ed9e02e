# Verifies Keyport-Signature on a request the Keyport gateway forwarded to your API (Python 3, standard library only).
import base64, hashlib, hmac, json, sys, time

def verify_keyport_signature(headers, method, path_with_query, forward_secret, tolerance_seconds=300):
    h = {k.lower(): v for k, v in headers.items()}
    request_id, timestamp, key_id = h.get("x-request-id"), h.get("keyport-timestamp"), h.get("keyport-key-id")
    if not (request_id and timestamp and key_id):
        return False
    if abs(time.time() - int(timestamp)) > tolerance_seconds:
        return False
    key = base64.b64decode(forward_secret[len("whsec_"):])
    payload = f"{request_id}.{timestamp}.{key_id}.{method}.{path_with_query}".encode()
    expected = "v1," + base64.b64encode(hmac.new(key, payload, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(s, expected) for s in h.get("keyport-signature", "").split(" "))

# Flask: verify_keyport_signature(request.headers, request.method, request.full_path.rstrip("?"), os.environ["KEYPORT_FORWARD_SECRET"])
if __name__ == "__main__":
    a = json.loads(sys.argv[1])
    print("valid" if verify_keyport_signature(a["headers"], a["method"], a["path"], a["secret"]) else "invalid")
