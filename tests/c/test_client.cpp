// Sends through the loopback provider emulator with real nhantin clients, from C++17, through
// the same committed C header (include/nhantin.h). Handles are owned by std::unique_ptr with
// the library's _free functions as deleters, so nothing leaks on any path.
//
// usage: NHANTIN_EMULATOR='<first line of `nhantin emulator`>' test_client
//
// The emulator's control API (reset, faults, recorded messages) is spoken with a tiny HTTP/1.1
// client on plain sockets (POSIX, or Winsock through portable.h). The suite resets the emulator first, so it can be run twice against
// one emulator process (plain and under valgrind) and count exactly what was accepted.
#include <nhantin.h>

#include "portable.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "check.h"

using nlohmann::json;

namespace {

// ---- RAII over the C handles ----------------------------------------------------------------

struct ClientDeleter {
    void operator()(nhantin_client *c) const noexcept { nhantin_client_free(c); }
};
struct ErrorDeleter {
    void operator()(nhantin_error *e) const noexcept { nhantin_error_free(e); }
};
struct StringDeleter {
    void operator()(char *s) const noexcept { nhantin_string_free(s); }
};
using ClientPtr = std::unique_ptr<nhantin_client, ClientDeleter>;
using ErrorPtr = std::unique_ptr<nhantin_error, ErrorDeleter>;
using StringPtr = std::unique_ptr<char, StringDeleter>;

std::string or_empty(const char *s) { return s != nullptr ? std::string(s) : std::string(); }

// What one call returned: the code, the parsed output on success, the error on failure.
struct Result {
    nhantin_result rc = NHANTIN_RESULT_PANIC;
    json value;     // the output, parsed (null on failure)
    ErrorPtr error; // the error (null on success)

    bool ok() const { return rc == NHANTIN_RESULT_OK; }
    json error_json() const { return error ? json::parse(or_empty(nhantin_error_json(error.get()))) : json(); }
    std::string describe() const {
        return ok() ? value.dump() : "code " + std::to_string(static_cast<unsigned>(rc)) + " " + or_empty(nhantin_error_json(error.get()));
    }
};

// Runs a call with the (char **out, nhantin_error **err) tail and takes ownership of both.
template <typename Call>
Result invoke(Call &&call) {
    char *out = nullptr;
    nhantin_error *err = nullptr;
    Result r;
    r.rc = call(&out, &err);
    StringPtr owned(out);
    r.error.reset(err);
    if (owned) {
        r.value = json::parse(owned.get());
    }
    return r;
}

// An idiomatic wrapper: the client is movable, not copyable, and freed by its unique_ptr.
class Client {
  public:
    static std::pair<std::optional<Client>, Result> create(const json &account, const json &options) {
        nhantin_client *raw = nullptr;
        nhantin_error *err = nullptr;
        Result r;
        r.rc = nhantin_client_new(account.dump().c_str(), options.dump().c_str(), &raw, &err);
        r.error.reset(err);
        if (r.ok()) {
            return {Client(ClientPtr(raw)), std::move(r)};
        }
        return {std::nullopt, std::move(r)};
    }

    Result send(const json &message) const {
        const std::string text = message.dump();
        return invoke([&](char **out, nhantin_error **err) { return nhantin_client_send(ptr_.get(), text.c_str(), out, err); });
    }
    Result resend(const json &message, const nhantin_error *unknown) const {
        const std::string text = message.dump();
        return invoke([&](char **out, nhantin_error **err) { return nhantin_client_resend(ptr_.get(), text.c_str(), unknown, out, err); });
    }
    Result reconcile(const json &message, const nhantin_error *unknown, const json &options) const {
        const std::string text = message.dump(), opts = options.dump();
        return invoke([&](char **out, nhantin_error **err) {
            return nhantin_client_reconcile(ptr_.get(), text.c_str(), unknown, opts.c_str(), out, err);
        });
    }
    Result send_bulk(const json &message) const {
        const std::string text = message.dump();
        return invoke([&](char **out, nhantin_error **err) { return nhantin_client_send_bulk(ptr_.get(), text.c_str(), out, err); });
    }
    Result balance() const {
        return invoke([&](char **out, nhantin_error **err) { return nhantin_client_balance(ptr_.get(), out, err); });
    }
    Result send_status(const std::string &sms_id) const {
        return invoke([&](char **out, nhantin_error **err) { return nhantin_client_send_status(ptr_.get(), sms_id.c_str(), out, err); });
    }
    Result receiver_status(const std::string &sms_id) const {
        return invoke([&](char **out, nhantin_error **err) { return nhantin_client_receiver_status(ptr_.get(), sms_id.c_str(), out, err); });
    }

    Result lookup(const json &lookup) const {
        const std::string text = lookup.dump();
        return invoke([&](char **out, nhantin_error **err) { return nhantin_client_lookup(ptr_.get(), text.c_str(), out, err); });
    }
    Result check_code(const std::string &phone, const std::string &code) const {
        return invoke([&](char **out, nhantin_error **err) { return nhantin_client_check_code(ptr_.get(), phone.c_str(), code.c_str(), out, err); });
    }
    Result interits_zns_message(const std::string &oa_id, const std::string &msg_id) const {
        return invoke([&](char **out, nhantin_error **err) {
            return nhantin_client_interits_zns_message(ptr_.get(), oa_id.c_str(), msg_id.c_str(), out, err);
        });
    }

  private:
    explicit Client(ClientPtr p) : ptr_(std::move(p)) {}
    ClientPtr ptr_;
};

// ---- a tiny HTTP/1.1 client for the emulator's control API -----------------------------------

struct HttpAnswer {
    int status = 0;
    std::string body;
};

class ControlApi {
  public:
    explicit ControlApi(const std::string &address) {
        const auto colon = address.rfind(':');
        host_ = address.substr(0, colon);
        port_ = static_cast<uint16_t>(std::stoi(address.substr(colon + 1)));
    }

    HttpAnswer request(const std::string &method, const std::string &path, const std::string &body = "") const {
        nt_socket fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd == NT_INVALID_SOCKET) {
            throw std::runtime_error("socket() failed");
        }
        struct FdCloser {
            nt_socket fd;
            ~FdCloser() { nt_close_socket(fd); }
        } closer{fd};
        nt_set_recv_timeout(fd, 10);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port_);
        if (::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1 ||
            ::connect(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr) != 0) {
            throw std::runtime_error("cannot connect to the emulator at " + host_ + ":" + std::to_string(port_));
        }
        std::string req = method + " " + path + " HTTP/1.1\r\nHost: " + host_ + ":" + std::to_string(port_) +
                          "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\nConnection: close\r\n\r\n" + body;
        for (size_t sent = 0; sent < req.size();) {
            long n = nt_send(fd, req.data() + sent, req.size() - sent);
            if (n <= 0) {
                throw std::runtime_error("send() to the emulator failed");
            }
            sent += static_cast<size_t>(n);
        }
        std::string raw;
        char buf[65536];
        size_t head_end = std::string::npos, content_length = 0;
        for (;;) {
            long n = nt_recv(fd, buf, sizeof buf);
            if (n < 0) {
                throw std::runtime_error("recv() from the emulator failed or timed out");
            }
            raw.append(buf, static_cast<size_t>(n));
            if (head_end == std::string::npos && (head_end = raw.find("\r\n\r\n")) != std::string::npos) {
                std::string head = raw.substr(0, head_end);
                std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                const auto at = head.find("\r\ncontent-length:");
                content_length = at == std::string::npos ? 0 : std::stoul(head.substr(at + 17));
            }
            if (head_end != std::string::npos && raw.size() >= head_end + 4 + content_length) {
                break;
            }
            if (n == 0) {
                throw std::runtime_error("the emulator closed the connection early");
            }
        }
        HttpAnswer answer;
        answer.status = std::stoi(raw.substr(raw.find(' ') + 1, 3));
        answer.body = raw.substr(head_end + 4, content_length);
        return answer;
    }

    json get_json(const std::string &path) const { return json::parse(request("GET", path).body); }

  private:
    std::string host_;
    uint16_t port_ = 0;
};

// ---- checks ---------------------------------------------------------------------------------

bool check_json_eq(const json &actual, const json &expected, const std::string &name) {
    const bool ok = actual == expected;
    if (!check(ok, "%s", name.c_str())) {
        check_note("expected: %s", expected.dump().c_str());
        check_note("actual:   %s", actual.dump().c_str());
    }
    return ok;
}

bool check_result_ok(const Result &r, const std::string &name) {
    const bool ok = r.ok();
    if (!check(ok, "%s: returns OK", name.c_str())) {
        check_note("%s", r.describe().c_str());
    }
    return ok;
}

bool is_hex32(const json &v) {
    if (!v.is_string() || v.get<std::string>().size() != 32) {
        return false;
    }
    const std::string s = v.get<std::string>();
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// Checks an "accepted" outcome; returns the receipt's reference ("" when absent).
std::string check_accepted(const Result &r, const std::string &name, const std::string &provider, const json &request_id) {
    if (!check_result_ok(r, name)) {
        return "";
    }
    const json &o = r.value;
    check_json_eq(o.value("status", json()), "accepted", name + ": status accepted");
    check_json_eq(o["receipt"].value("provider", json()), provider, name + ": receipt.provider");
    const json reference = o["receipt"].value("reference", json());
    if (!check(reference.is_string() && !reference.get<std::string>().empty(), "%s: receipt.reference present", name.c_str())) {
        check_note("outcome %s", o.dump().c_str());
    }
    if (provider == "esms") {
        check(is_hex32(reference), "%s: receipt.reference is the emulator's 32-hex-digit SMSID", name.c_str());
    }
    if (!request_id.is_null()) {
        check_json_eq(o.value("request_id", json()), request_id, name + ": request_id is the one given");
    }
    check_json_eq(o.value("attempts", json()), 1, name + ": one attempt");
    return reference.is_string() ? reference.get<std::string>() : "";
}

std::vector<std::string> phones(size_t n, unsigned base) {
    std::vector<std::string> out;
    out.reserve(n);
    for (size_t i = 0; i < n; i++) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "09%08u", base + static_cast<unsigned>(i));
        out.emplace_back(buf);
    }
    return out;
}

// Recorded messages whose request id is `id`.
std::vector<json> recorded_with_request_id(const json &messages, const std::string &id) {
    std::vector<json> out;
    for (const auto &m : messages) {
        if (m.value("request_id", json()) == id) {
            out.push_back(m);
        }
    }
    return out;
}

bool is_hex16(const std::string &s) {
    return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0 && !std::isupper(static_cast<unsigned char>(c)); });
}

// A batch id is `<base>-<16 lowercase hex digits>` (the digest of its recipients).
bool is_batch_id(const json &v, const std::string &base) {
    if (!v.is_string()) {
        return false;
    }
    const std::string s = v.get<std::string>();
    return s.size() == base.size() + 17 && s.compare(0, base.size() + 1, base + "-") == 0 && is_hex16(s.substr(base.size() + 1));
}

// Checks the error JSON of an unknown outcome: the class, the resend guidance and its window.
void check_unknown_json(const Result &r, bool retry_safe, const std::string &name) {
    const json ej = r.error_json();
    check_json_eq(ej.value("kind", json()), "outcome_unknown", name + ": error_json kind outcome_unknown");
    check_json_eq(ej.value("class", json()), "outcome_unknown", name + ": error_json class outcome_unknown");
    check_json_eq(ej.value("retry_safe", json()), retry_safe, name + ": error_json retry_safe");
    check(r.error && nhantin_error_is_retry_safe(r.error.get()) == retry_safe, "%s: nhantin_error_is_retry_safe is %s", name.c_str(), retry_safe ? "true" : "false");
    check(ej.value("first_sent_at", json()).is_string(), "%s: error_json first_sent_at", name.c_str());
    if (retry_safe) {
        check(ej.value("request_id", json()).is_string() && ej["request_id"] == or_empty(nhantin_error_request_id(r.error.get())),
              "%s: error_json request_id is nhantin_error_request_id", name.c_str());
        check(ej.value("resend_until", json()).is_string(), "%s: error_json resend_until (the window of a safe resend)", name.c_str());
        const json first = ej.value("first_sent_at_ms", json()), until = ej.value("resend_until_ms", json());
        if (check(first.is_number_integer() && until.is_number_integer(), "%s: first_sent_at_ms and resend_until_ms", name.c_str())) {
            check_json_eq(until.get<int64_t>() - first.get<int64_t>(), int64_t{24 * 3600 - 600} * 1000, name + ": the window is 24 h less 10 min");
        }
    } else {
        check(ej.value("resend_until", json()).is_null(), "%s: no resend window", name.c_str());
    }
}

// A TCP port on 127.0.0.1 that nothing listens on (bound, read, closed).
uint16_t closed_port() {
    nt_socket fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<const sockaddr *>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    nt_close_socket(fd);
    return ntohs(addr.sin_port);
}

} // namespace

int main() {
    const char *line = std::getenv("NHANTIN_EMULATOR");
    if (line == nullptr) {
        std::fprintf(stderr, "set NHANTIN_EMULATOR to the first line printed by `nhantin emulator`\n");
        return 2;
    }
    const json emulator = json::parse(line);
    const ControlApi control(emulator.at("address").get<std::string>());
    if (nt_sockets_init() != 0) {
        std::fprintf(stderr, "cannot start the socket library\n");
        return 2;
    }
    const std::string run = "c" + std::to_string(nt_getpid());
    auto rid = [&](const std::string &what) { return run + "-" + what; };
    const json options = {{"allow_insecure_http", true}};

    // Fresh emulator state: balances, recorded messages, seen request ids, faults.
    HttpAnswer reset = control.request("POST", "/_emulator/reset");
    check(reset.status == 200 && json::parse(reset.body) == json{{"reset", true}}, "emulator: POST /_emulator/reset answers {\"reset\":true}");
    check_json_eq(control.get_json("/_emulator/health"), json{{"ok", true}}, "emulator: health");

    const json esms_account = {{"provider", "esms"}, {"api_key", "DEMO_ESMS_API_KEY"}, {"secret_key", "DEMO_ESMS_SECRET_KEY"}, {"base_url", emulator.at("esms")}};
    const json caresoft_account = {{"provider", "caresoft"}, {"domain", "demo"}, {"api_token", "DEMO_CARESOFT_TOKEN"}, {"service_id", 12}, {"base_url", emulator.at("caresoft")}};
    const json interits_account = {{"provider", "interits"}, {"api_key", "DEMO_INTERITS_KEY"}, {"base_url", emulator.at("interits")}};

    auto [esms_opt, esms_new] = Client::create(esms_account, options);
    auto [caresoft_opt, caresoft_new] = Client::create(caresoft_account, options);
    auto [interits_opt, interits_new] = Client::create(interits_account, options);
    check_result_ok(esms_new, "nhantin_client_new eSMS");
    check_result_ok(caresoft_new, "nhantin_client_new CareSoft");
    check_result_ok(interits_new, "nhantin_client_new InterITS");
    if (!esms_opt || !caresoft_opt || !interits_opt) {
        return check_finish("test_client");
    }
    const Client &esms = *esms_opt;
    const Client &caresoft = *caresoft_opt;
    const Client &interits = *interits_opt;

    size_t accepted_messages = 0; // what the emulator must have recorded
    size_t esms_recipients = 0;   // what the eSMS balance must have been charged for (470 VND each)

    // ---- one message through every send endpoint ----
    struct Endpoint {
        std::string name, endpoint, provider;
        const Client *client;
        json message;
    };
    const auto thirty = phones(30, 12340000);
    const std::vector<Endpoint> endpoints = {
        {"eSMS post_json OTP", "SendMultipleMessage_V4_post_json", "esms", &esms,
         {{"recipients", {"0912345678"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Mã OTP của bạn là 482913"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("json")}}},
        {"eSMS XML customer care", "SendMultipleMessage_V4", "esms", &esms,
         {{"recipients", {"0912345678", "0362345678"}}, {"content", {{"sms", {{"purpose", "customer_care"}, {"text", "Don hang #42 & qua <tang> da giao"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("xml")}, {"options", {{"esms", {{"format", "xml"}}}}}}},
        {"eSMS XML advertising (30)", "SendMultipleSMSBrandname", "esms", &esms,
         {{"recipients", thirty}, {"content", {{"sms", {{"purpose", "advertising"}, {"text", "Khuyen mai 50% cuoi tuan"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("xml-adv")}, {"options", {{"esms", {{"format", "xml"}}}}}}},
        {"eSMS GET fixed number", "SendMultipleMessage_V4_get", "esms", &esms,
         {{"recipients", {"0701234567"}}, {"content", {{"sms", {{"purpose", "fixed_number"}, {"text", "Ma OTP: 123456 & 100% ="}}}}}, {"request_id", rid("get")}, {"options", {{"esms", {{"format", "get"}}}}}}},
        {"eSMS advertising JSON (30)", "SendMultipleSMSBrandname_json", "esms", &esms,
         {{"recipients", thirty}, {"content", {{"sms", {{"purpose", "advertising"}, {"text", "Sale 11.11 giam 30%"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("adv")}}},
        {"eSMS Viber", "Send_Multiple_Sms_OTT", "esms", &esms,
         {{"recipients", {"0912345678"}}, {"content", {{"viber", {{"text", "Đơn hàng đã giao"}, {"sender", "NHANTIN"}, {"image_url", "https://cdn.example.vn/don-hang.png"}, {"button", {{"label", "Xem đơn"}, {"url", "https://example.vn/o/42"}}}}}}}, {"request_id", rid("viber")}}},
        {"CareSoft SMS", "caresoft_sms", "caresoft", &caresoft,
         {{"recipients", {"0980000000"}}, {"content", {{"sms", {{"purpose", "customer_care"}, {"text", "Chúc mừng sinh nhật quý khách"}}}}}}},
        {"InterITS send-message", "interits_send_message", "interits", &interits,
         {{"recipients", {"0901234567"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Ma OTP: 731042"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("interits")}}},
    };
    std::string first_sms_id;
    std::vector<std::pair<const Endpoint *, std::string>> sent; // endpoint, reference
    for (const auto &e : endpoints) {
        const json request_id = e.message.value("request_id", json());
        const std::string reference = check_accepted(e.client->send(e.message), e.name, e.provider, request_id);
        if (!reference.empty()) {
            accepted_messages++;
            if (e.provider == "esms") {
                esms_recipients += e.message["recipients"].size();
            }
            sent.emplace_back(&e, reference);
        }
        if (first_sms_id.empty() && e.provider == "esms") {
            first_sms_id = reference;
        }
    }

    // eSMS without a request id: the client generates one ("nt-…") and sends it.
    {
        Result r = esms.send({{"recipients", {"0987654321"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Ma OTP 111222"}, {"sender", "NHANTIN"}}}}}});
        if (!check_accepted(r, "eSMS send without request_id", "esms", json()).empty()) {
            accepted_messages++;
            esms_recipients += 1;
            const json id = r.value.value("request_id", json());
            check(id.is_string() && id.get<std::string>().rfind("nt-", 0) == 0, "eSMS send without request_id: a generated nt-… request id is reported");
        }
    }

    // What the emulator recorded for each endpoint.
    {
        const json messages = control.get_json("/_emulator/messages");
        for (const auto &[e, reference] : sent) {
            const json *found = nullptr;
            for (const auto &m : messages) {
                const json &ref = m["reference"];
                const bool same = (e->provider == "esms" && ref.value("sms_id", json()) == reference) ||
                                  (e->provider == "interits" && ref.value("referent_id", json()) == reference) ||
                                  (e->provider == "caresoft" && ref.contains("ticket_id") && std::to_string(ref["ticket_id"].get<uint64_t>()) == reference);
                if (same) {
                    found = &m;
                }
            }
            if (check(found != nullptr, "%s: the emulator recorded the message under its reference", e->name.c_str())) {
                check_json_eq((*found)["endpoint"], e->endpoint, e->name + ": accepted by " + e->endpoint);
                check_json_eq((*found)["recipients"].size(), e->message["recipients"].size(), e->name + ": every recipient recorded");
            }
        }
    }

    // ---- queries on the first eSMS message ----
    {
        Result b = esms.balance();
        if (check_result_ok(b, "nhantin_client_balance")) {
            const json want = {{"balance", 10000000.0 - 470.0 * static_cast<double>(esms_recipients)}, {"user_id", 9999}};
            check_json_eq(b.value, want, "nhantin_client_balance: 10,000,000 VND less 470 per eSMS recipient sent");
        }
        Result s = esms.send_status(first_sms_id);
        if (check_result_ok(s, "nhantin_client_send_status")) {
            const json want = {{"sms_id", first_sms_id}, {"status", "finished"}, {"send_success", 1}, {"send_failed", 0},
                               {"total_receivers", 1},   {"total_sent", 1},      {"total_price", 470.0}};
            check_json_eq(s.value, want, "nhantin_client_send_status: the status of the post_json message");
        }
        Result rs = esms.receiver_status(first_sms_id);
        if (check_result_ok(rs, "nhantin_client_receiver_status")) {
            const json want = json::array({{{"phone", "0912345678"}, {"is_sent", true}, {"sent_result", true}, {"retry", 0}, {"network_name", "Vinaphone"}}});
            check_json_eq(rs.value, want, "nhantin_client_receiver_status: one Vinaphone receiver, delivered");
        }
        Result unknown = esms.send_status("0123456789abcdef0123456789abcdef");
        check(unknown.rc == NHANTIN_RESULT_REJECTED, "nhantin_client_send_status unknown SMSID: REJECTED (%u)", static_cast<unsigned>(unknown.rc));
        check_json_eq(or_empty(nhantin_error_provider_code(unknown.error.get())), "105", "nhantin_client_send_status unknown SMSID: provider code 105");
    }

    // ---- documented rejections ----
    {
        json wrong = esms_account;
        wrong["api_key"] = "WRONG_KEY";
        auto [bad_opt, bad_new] = Client::create(wrong, options);
        if (check_result_ok(bad_new, "nhantin_client_new with wrong keys (not checked until used)") && bad_opt) {
            Result r = bad_opt->send({{"recipients", {"0912345678"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "x"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("wrong-keys")}});
            check(r.rc == NHANTIN_RESULT_UNAUTHORIZED, "wrong keys: NHANTIN_RESULT_UNAUTHORIZED (got %u)", static_cast<unsigned>(r.rc));
            check(r.value.is_null(), "wrong keys: no outcome written");
            check_json_eq(or_empty(nhantin_error_provider_code(r.error.get())), "101", "wrong keys: provider code \"101\"");
            check_json_eq(or_empty(nhantin_error_provider(r.error.get())), "esms", "wrong keys: provider esms");
            check_json_eq(or_empty(nhantin_error_reason(r.error.get())), "unauthorized", "wrong keys: reason unauthorized");
            const json ej = r.error ? r.error_json() : json();
            check_json_eq(ej.value("kind", json()), "rejected", "wrong keys: error_json kind rejected");
            check(nhantin_result_is_provider_error(r.rc), "wrong keys: nhantin_result_is_provider_error");
            Result b = bad_opt->balance();
            check(b.rc == NHANTIN_RESULT_UNAUTHORIZED, "wrong keys, balance: NHANTIN_RESULT_UNAUTHORIZED (got %u)", static_cast<unsigned>(b.rc));
        }
        Result brand = esms.send({{"recipients", {"0912345678"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "x"}, {"sender", "NOTREG"}}}}}, {"request_id", rid("brand")}});
        check(brand.rc == NHANTIN_RESULT_REJECTED, "unregistered brandname: NHANTIN_RESULT_REJECTED (got %u)", static_cast<unsigned>(brand.rc));
        check_json_eq(or_empty(nhantin_error_provider_code(brand.error.get())), "104", "unregistered brandname: provider code \"104\"");
    }

    // ---- bulk: 6001 recipients in two balanced batches ----
    {
        const auto many = phones(6001, 20000000);
        const std::string id = rid("bulk");
        const json message = {{"recipients", many}, {"content", {{"sms", {{"purpose", "advertising"}, {"text", "Sale cuoi nam"}, {"sender", "NHANTIN"}}}}}, {"request_id", id}};
        Result r = esms.send_bulk(message);
        std::vector<std::string> ids;
        if (check_result_ok(r, "nhantin_client_send_bulk 6001 recipients")) {
            const json &batches = r.value["batches"];
            if (check(batches.is_array() && batches.size() == 2, "bulk 6001: 2 batches (got %zu)", batches.is_array() ? batches.size() : size_t{0})) {
                size_t total = 0;
                for (size_t i = 0; i < 2; i++) {
                    const json &b = batches[i];
                    const std::string n = "bulk 6001 batch " + std::to_string(i + 1);
                    check_json_eq(b.value("first_recipient", json()), total, n + ": first_recipient");
                    check(b.value("recipients", 0) <= 5000 && b.value("recipients", 0) >= 3000, "%s: balanced size (%d)", n.c_str(), b.value("recipients", 0));
                    if (!check(is_batch_id(b.value("request_id", json()), id), "%s: request_id is <id>-<16 hex digits of its recipients>", n.c_str())) {
                        check_note("request_id %s", b.value("request_id", json()).dump().c_str());
                    }
                    ids.push_back(b.value("request_id", std::string()));
                    check_json_eq(b.value("class", json()), "accepted", n + ": class accepted");
                    check_json_eq(b["outcome"].value("status", json()), "accepted", n + ": accepted");
                    total += b.value("recipients", size_t{0});
                }
                check(ids[0] != ids[1], "bulk 6001: the two batches have different ids");
                check_json_eq(total, 6001, "bulk 6001: every recipient in exactly one batch");
                accepted_messages += 2;
                esms_recipients += 6001;
                const json messages = control.get_json("/_emulator/messages");
                for (size_t i = 0; i < 2; i++) {
                    const auto rec = recorded_with_request_id(messages, ids[i]);
                    check(rec.size() == 1 && rec[0]["recipients"].size() == batches[i].value("recipients", size_t{0}) &&
                              rec[0]["endpoint"] == "SendMultipleSMSBrandname_json",
                          "bulk 6001 batch %zu: recorded once by the emulator, with its recipients", i + 1);
                }
            }
        }
        // The same list again (a rerun after a crash): the same batch ids, and eSMS refuses
        // both as already used instead of sending them a second time.
        const size_t before = control.get_json("/_emulator/messages").size();
        Result again = esms.send_bulk(message);
        if (check_result_ok(again, "nhantin_client_send_bulk the same 6001 again") && ids.size() == 2) {
            const json &batches = again.value["batches"];
            for (size_t i = 0; i < 2 && i < batches.size(); i++) {
                const std::string n = "bulk rerun batch " + std::to_string(i + 1);
                check_json_eq(batches[i].value("request_id", json()), ids[i], n + ": the same request id as the first run");
                check_json_eq(batches[i].value("class", json()), "rejected", n + ": class rejected");
                check_json_eq(batches[i]["error"].value("reason", json()), "duplicate_request_id", n + ": eSMS 124, already used");
            }
        }
        check_json_eq(control.get_json("/_emulator/messages").size(), before, "bulk rerun: nothing sent twice");

        // Defect 1: a duplicate far apart and differently written (0910000000 and +84910000000)
        // in a list that is split: refused before any batch is sent.
        auto dup = phones(5001, 10000000);
        dup.front() = "0910000000";
        dup.back() = "+84910000000";
        Result d = esms.send_bulk({{"recipients", dup}, {"content", {{"sms", {{"purpose", "advertising"}, {"text", "Sale"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("bulk-dup")}});
        check(d.rc == NHANTIN_RESULT_INVALID_INPUT, "bulk 5001 with 0910000000 first and +84910000000 last: INVALID_INPUT (got %u)", static_cast<unsigned>(d.rc));
        check(d.value.is_null(), "bulk with a duplicate: no batches written");
        check_json_eq(or_empty(nhantin_error_field(d.error.get())), "recipients[5000]", "bulk with a duplicate: the field is the second occurrence");
        check_json_eq(control.get_json("/_emulator/messages").size(), before, "bulk with a duplicate: the emulator recorded nothing");
    }

    // ---- faults: the emulator accepts, then resets the connection ----
    {
        // Defect 6: the first attempt is processed but its answer lost; the automatic resend is
        // answered 124. That is "already submitted": its own code, not OK, and no receipt.
        HttpAnswer q = control.request("POST", "/_emulator/faults", R"({"fault":"reset_after_accept","times":1,"path":"SendMultipleMessage_V4_post_json"})");
        check(q.status == 200 && json::parse(q.body) == json{{"queued", true}}, "fault reset_after_accept queued");
        const std::string id = rid("fault");
        Result r = esms.send({{"recipients", {"0912345678"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Ma OTP 654321"}, {"sender", "NHANTIN"}}}}}, {"request_id", id}});
        check(r.rc == NHANTIN_RESULT_ALREADY_SUBMITTED, "reset_after_accept then 124: NHANTIN_RESULT_ALREADY_SUBMITTED (got %u)", static_cast<unsigned>(r.rc));
        check(r.value.is_null(), "reset_after_accept then 124: no outcome written (it is not a success)");
        check(nhantin_result_is_outcome_unknown(r.rc) && !nhantin_result_is_retry_safe(r.rc), "ALREADY_SUBMITTED: a 5000s code, not retry safe");
        if (check(r.error != nullptr, "reset_after_accept then 124: an error")) {
            const json ej = r.error_json();
            check_json_eq(ej.value("kind", json()), "already_submitted", "reset_after_accept: error_json kind already_submitted");
            check_json_eq(ej.value("class", json()), "already_submitted", "reset_after_accept: error_json class already_submitted");
            check_json_eq(ej.value("request_id", json()), id, "reset_after_accept: error_json request_id");
            check_json_eq(or_empty(nhantin_error_request_id(r.error.get())), id, "reset_after_accept: nhantin_error_request_id");
            check(ej.value("attempts", 0) >= 2, "reset_after_accept: resent (attempts %d)", ej.value("attempts", 0));
            check(!nhantin_error_is_retry_safe(r.error.get()), "reset_after_accept: not retry safe (never resend under a new id)");
        }
        const auto rec = recorded_with_request_id(control.get_json("/_emulator/messages"), id);
        check(rec.size() == 1, "reset_after_accept: the emulator accepted the message exactly once (%zu)", rec.size());
        accepted_messages += rec.size();
        esms_recipients += rec.size();

        // CareSoft has no idempotency key: the same fault leaves the outcome unknown, and no
        // resend is offered.
        q = control.request("POST", "/_emulator/faults", R"({"fault":"reset_after_accept","times":1,"path":"caresoft"})");
        check(q.status == 200, "fault reset_after_accept queued for CareSoft");
        const json care = {{"recipients", {"0980000001"}}, {"content", {{"sms", {{"purpose", "customer_care"}, {"text", "Cam on quy khach"}}}}}};
        Result c = caresoft.send(care);
        check(c.rc == NHANTIN_RESULT_OUTCOME_UNKNOWN, "CareSoft reset_after_accept: NHANTIN_RESULT_OUTCOME_UNKNOWN (got %u)", static_cast<unsigned>(c.rc));
        check(nhantin_result_is_outcome_unknown(c.rc), "CareSoft reset_after_accept: nhantin_result_is_outcome_unknown");
        if (c.error) {
            check_unknown_json(c, false, "CareSoft reset_after_accept");
            const size_t before = control.get_json("/_emulator/messages").size();
            Result again = caresoft.resend(care, c.error.get());
            check(again.rc == NHANTIN_RESULT_INVALID_INPUT, "CareSoft: nhantin_client_resend refuses (got %u)", static_cast<unsigned>(again.rc));
            check_json_eq(control.get_json("/_emulator/messages").size(), before, "CareSoft: the refused resend sent nothing");
        }
        accepted_messages += 1; // the emulator processed it before the reset

        // InterITS documents no de-duplication, and the emulator does none by default: an
        // attempt that may have arrived is never resent, so the message arrives once.
        q = control.request("POST", "/_emulator/faults", R"({"fault":"reset_after_accept","times":1,"path":"interits"})");
        check(q.status == 200, "fault reset_after_accept queued for InterITS");
        const std::string it_id = rid("interits-fault");
        Result it = interits.send({{"recipients", {"0901234567"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Ma OTP 246810"}, {"sender", "NHANTIN"}}}}}, {"request_id", it_id}});
        check(it.rc == NHANTIN_RESULT_OUTCOME_UNKNOWN, "InterITS reset_after_accept: NHANTIN_RESULT_OUTCOME_UNKNOWN (got %u)", static_cast<unsigned>(it.rc));
        if (it.error) {
            check_unknown_json(it, false, "InterITS without dedup_confirmed");
            check_json_eq(it.error_json().value("attempts", json()), 1, "InterITS without dedup_confirmed: not resent");
        }
        const auto it_rec = recorded_with_request_id(control.get_json("/_emulator/messages"), it_id);
        check(it_rec.size() == 1, "InterITS reset_after_accept: accepted exactly once (%zu)", it_rec.size());
        accepted_messages += it_rec.size();

        // With de-duplication confirmed (the account says so, and the emulator does it), the
        // resend is safe and is made: InterITS answers the first result again.
        HttpAnswer set = control.request("POST", "/_emulator/settings", R"({"interits_dedup_request_id":true})");
        check(set.status == 200 && json::parse(set.body).value("interits_dedup_request_id", false), "emulator: InterITS de-duplication on");
        json dedup_account = interits_account;
        dedup_account["dedup_confirmed"] = true;
        auto [dedup_opt, dedup_new] = Client::create(dedup_account, options);
        if (check_result_ok(dedup_new, "nhantin_client_new InterITS dedup_confirmed") && dedup_opt) {
            q = control.request("POST", "/_emulator/faults", R"({"fault":"reset_after_accept","times":1,"path":"interits"})");
            const std::string dd_id = rid("interits-dedup");
            Result dd = dedup_opt->send({{"recipients", {"0901234568"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Ma OTP 135790"}, {"sender", "NHANTIN"}}}}}, {"request_id", dd_id}});
            if (check_result_ok(dd, "InterITS dedup_confirmed through reset_after_accept")) {
                check_json_eq(dd.value.value("status", json()), "accepted", "InterITS dedup_confirmed: accepted");
                check_json_eq(dd.value.value("attempts", json()), 2, "InterITS dedup_confirmed: resent once");
            }
            const auto dd_rec = recorded_with_request_id(control.get_json("/_emulator/messages"), dd_id);
            check(dd_rec.size() == 1, "InterITS dedup_confirmed: accepted exactly once (%zu)", dd_rec.size());
            accepted_messages += dd_rec.size();
        }
        control.request("POST", "/_emulator/settings", R"({"interits_dedup_request_id":false})");

        // Defect 4: an unknown outcome for an eSMS send whose request id the client generated.
        // The error names the id and offers the one safe resend; nhantin_client_resend makes it,
        // and the emulator holds exactly one message either way.
        auto [short_opt, short_new] = Client::create(esms_account, {{"allow_insecure_http", true}, {"max_attempts", 1}});
        if (check_result_ok(short_new, "nhantin_client_new max_attempts 1") && short_opt) {
            // (a) processed, answer lost: the resend is answered "already used".
            size_t before = control.get_json("/_emulator/messages").size();
            q = control.request("POST", "/_emulator/faults", R"({"fault":"reset_after_accept","times":1,"path":"SendMultipleMessage_V4_post_json"})");
            const json otp = {{"recipients", {"0912345679"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Ma OTP 777888"}, {"sender", "NHANTIN"}}}}}};
            Result u = short_opt->send(otp);
            check(u.rc == NHANTIN_RESULT_OUTCOME_UNKNOWN, "max_attempts 1, reset after accept: NHANTIN_RESULT_OUTCOME_UNKNOWN (got %u)", static_cast<unsigned>(u.rc));
            json messages = control.get_json("/_emulator/messages");
            check_json_eq(messages.size() - before, 1, "reset after accept: the emulator accepted it once");
            const json used = messages.size() > before ? messages.back().value("request_id", json()) : json();
            if (u.error) {
                check_unknown_json(u, true, "eSMS unknown outcome");
                check_json_eq(u.error_json().value("request_id", json()), used, "eSMS unknown outcome: the generated request id that was sent");
                Result again = short_opt->resend(otp, u.error.get());
                check(again.rc == NHANTIN_RESULT_ALREADY_SUBMITTED, "nhantin_client_resend after a processed attempt: ALREADY_SUBMITTED (got %u)",
                      static_cast<unsigned>(again.rc));
                check_json_eq(again.error_json().value("request_id", json()), used, "nhantin_client_resend: the same request id");
                Result other = short_opt->resend({{"recipients", {"0912345679"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Ma OTP 777888"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("other")}},
                                                 u.error.get());
                check(other.rc == NHANTIN_RESULT_INVALID_INPUT, "nhantin_client_resend with another request id: INVALID_INPUT (got %u)",
                      static_cast<unsigned>(other.rc));
                // Reconciliation: eSMS's records show the lost answer's message, with its SMSID.
                Result rec = short_opt->reconcile(otp, u.error.get(), {{"margin_ms", 1500}});
                if (check_result_ok(rec, "nhantin_client_reconcile after a processed attempt")) {
                    const json v = rec.value.value("verdicts", json::array());
                    check_json_eq(v.size(), 1, "nhantin_client_reconcile: one verdict per recipient");
                    if (v.size() == 1) {
                        check_json_eq(v[0].value("verdict", json()), "sent", "nhantin_client_reconcile: sent");
                        check_json_eq(v[0].value("recipient", json()), 0, "nhantin_client_reconcile: recipient index");
                        const json filed = control.get_json("/_emulator/messages");
                        check_json_eq(v[0].value("sms_id", json()), filed.back()["reference"].value("sms_id", json()),
                                      "nhantin_client_reconcile: the SMSID the emulator filed");
                    }
                }
            }
            messages = control.get_json("/_emulator/messages");
            check_json_eq(recorded_with_request_id(messages, used.is_string() ? used.get<std::string>() : "").size(), 1,
                          "defect 4 (a): the emulator holds exactly one message for the request id");
            accepted_messages += messages.size() - before;
            esms_recipients += messages.size() - before;

            // (b) a 503 (not processed here, but it might have been): the resend is accepted.
            before = messages.size();
            q = control.request("POST", "/_emulator/faults", R"({"fault":"status","status":503,"times":1,"path":"SendMultipleMessage_V4_post_json"})");
            const json otp2 = {{"recipients", {"0912345670"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Ma OTP 999000"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("unknown-503")}};
            Result u2 = short_opt->send(otp2);
            check(u2.rc == NHANTIN_RESULT_OUTCOME_UNKNOWN, "max_attempts 1, 503: NHANTIN_RESULT_OUTCOME_UNKNOWN (got %u)", static_cast<unsigned>(u2.rc));
            check_json_eq(control.get_json("/_emulator/messages").size(), before, "503: nothing recorded yet");
            if (u2.error) {
                check_unknown_json(u2, true, "eSMS 503");
                Result rec = short_opt->reconcile(otp2, u2.error.get(), {{"margin_ms", 1500}});
                if (check_result_ok(rec, "nhantin_client_reconcile after a 503")) {
                    const json v = rec.value.value("verdicts", json::array());
                    check(v.size() == 1 && v[0].value("verdict", json()) == "not_found", "nhantin_client_reconcile after a 503: not_found");
                }
                Result again = short_opt->resend(otp2, u2.error.get());
                if (check_result_ok(again, "nhantin_client_resend after a 503")) {
                    check_json_eq(again.value.value("status", json()), "accepted", "nhantin_client_resend after a 503: accepted");
                    check_json_eq(again.value.value("request_id", json()), rid("unknown-503"), "nhantin_client_resend after a 503: the same request id");
                }
            }
            messages = control.get_json("/_emulator/messages");
            check_json_eq(recorded_with_request_id(messages, rid("unknown-503")).size(), 1, "defect 4 (b): the emulator holds exactly one message");
            accepted_messages += messages.size() - before;
            esms_recipients += messages.size() - before;
        }
    }

    // ---- a transport failure: nothing listens ----
    {
        json account = esms_account;
        account["base_url"] = "http://127.0.0.1:" + std::to_string(closed_port()) + "/esms/";
        auto [dead_opt, dead_new] = Client::create(account, {{"allow_insecure_http", true}, {"max_attempts", 1}});
        if (check_result_ok(dead_new, "nhantin_client_new to a closed port") && dead_opt) {
            Result r = dead_opt->send({{"recipients", {"0912345678"}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "x"}, {"sender", "NHANTIN"}}}}}, {"request_id", rid("dead")}});
            check(r.rc == NHANTIN_RESULT_TRANSPORT, "closed port: NHANTIN_RESULT_TRANSPORT (got %u)", static_cast<unsigned>(r.rc));
            check(r.error && nhantin_error_is_retry_safe(r.error.get()), "closed port: retry safe");
            check_json_eq(r.error_json().value("kind", json()), "transport", "closed port: error_json kind transport");
            check_json_eq(r.error_json().value("class", json()), "not_sent", "closed port: error_json class not_sent");
            check(nhantin_result_is_retry_safe(r.rc), "closed port: nhantin_result_is_retry_safe");
        }
    }

    // ---- one client, four threads, fifty messages each ----
    {
        constexpr int threads = 4, per_thread = 50;
        struct Sent {
            nhantin_result rc;
            std::string status, reference, request_id;
        };
        std::vector<std::vector<Sent>> results(threads);
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; t++) {
            pool.emplace_back([&, t] {
                for (int i = 0; i < per_thread; i++) {
                    const std::string id = rid("t" + std::to_string(t) + "-" + std::to_string(i));
                    char phone[16];
                    std::snprintf(phone, sizeof phone, "0903%06d", t * 1000 + i);
                    Result r = esms.send({{"recipients", {phone}}, {"content", {{"sms", {{"purpose", "otp"}, {"text", "Ma OTP " + std::to_string(100000 + t * 1000 + i)}, {"sender", "NHANTIN"}}}}}, {"request_id", id}});
                    Sent s{r.rc, "", "", id};
                    if (r.ok()) {
                        s.status = r.value.value("status", "");
                        s.reference = r.value["receipt"].value("reference", "");
                    }
                    results[static_cast<size_t>(t)].push_back(std::move(s));
                }
            });
        }
        for (auto &th : pool) {
            th.join();
        }
        size_t accepted = 0;
        std::set<std::string> references;
        for (const auto &per : results) {
            for (const auto &s : per) {
                if (s.rc == NHANTIN_RESULT_OK && s.status == "accepted") {
                    accepted++;
                    references.insert(s.reference);
                }
            }
        }
        check(accepted == threads * per_thread, "4 threads x 50: all %d accepted (got %zu)", threads * per_thread, accepted);
        check(references.size() == threads * per_thread, "4 threads x 50: %d distinct references (got %zu)", threads * per_thread, references.size());
        const json messages = control.get_json("/_emulator/messages");
        size_t recorded = 0;
        for (const auto &m : messages) {
            const std::string id = m.value("request_id", json()).is_string() ? m["request_id"].get<std::string>() : "";
            if (id.rfind(run + "-t", 0) == 0) {
                recorded++;
            }
        }
        check(recorded == threads * per_thread, "4 threads x 50: the emulator recorded each once (%zu)", recorded);
        accepted_messages += accepted;
        esms_recipients += accepted;
    }

    // ---- totals: everything accepted once, everything charged once ----
    {
        const json messages = control.get_json("/_emulator/messages");
        check(messages.is_array() && messages.size() == accepted_messages, "GET /_emulator/messages: %zu accepted messages (got %zu)", accepted_messages,
              messages.is_array() ? messages.size() : size_t{0});
        Result b = esms.balance();
        if (check_result_ok(b, "nhantin_client_balance at the end")) {
            check_json_eq(b.value.value("balance", json()), 10000000.0 - 470.0 * static_cast<double>(esms_recipients),
                          "balance at the end: charged once per eSMS recipient (" + std::to_string(esms_recipients) + ")");
        }
    }

    // ---- the ZNS-era client calls (after the totals, which count SMS charges only) ----
    {
        const std::string oa = "1234567890123456789";
        // InterITS pushes no ZNS report: its fate is polled by the reference the send returned.
        Result z = interits.send({{"recipients", {"0901234567"}},
                                  {"content", {{"zns", {{"oa_id", oa}, {"template_id", "205644"}, {"params", {{{"name", "otp"}, {"value", "482913"}}}}}}}}});
        const std::string msg_id = check_accepted(z, "InterITS send-zns", "interits", json());
        if (!msg_id.empty()) {
            Result m = interits.interits_zns_message(oa, msg_id);
            if (check_result_ok(m, "nhantin_client_interits_zns_message")) {
                check_json_eq(m.value["zns_message"].value("msg_id", json()), msg_id, "nhantin_client_interits_zns_message: the ZNS asked about");
                const json delivery = m.value["zns_message"].value("delivery", json());
                check(delivery == "unknown" || delivery == "received", "nhantin_client_interits_zns_message: delivery %s", delivery.dump().c_str());
            }
            Result other = interits.interits_zns_message(oa, "ffffffffffffffffffff");
            check(other.rc == NHANTIN_RESULT_REJECTED, "nhantin_client_interits_zns_message: an unknown msg_id is rejected (%s)", other.describe().c_str());
        }
        Result wrong = esms.interits_zns_message(oa, "e1a60e8890be9de4c4ab");
        check(wrong.rc == NHANTIN_RESULT_INVALID_INPUT, "nhantin_client_interits_zns_message on an eSMS client: invalid input (%s)", wrong.describe().c_str());
        // An eSMS lookup, and a generated code checked once.
        Result quota = esms.lookup({{"zns_quota", {{"oa_id", oa}}}});
        if (check_result_ok(quota, "nhantin_client_lookup zns_quota")) {
            check_json_eq(quota.value["zns_quota"].value("daily", json()), 500, "nhantin_client_lookup zns_quota: the daily quota");
        }
        const std::string phone = "0912345678";
        Result otp = esms.send({{"recipients", {phone}},
                                {"content", {{"generated_otp", {{"channel", {{"sms", {{"sender", "NHANTIN"}, {"template", "{OTP} la ma xac thuc"}}}}}}}}}});
        check_result_ok(otp, "eSMS generated code by SMS");
        std::string code;
        for (const auto &m : control.get_json("/_emulator/messages")) {
            if (m.contains("generated_code") && m["generated_code"].is_object()) {
                code = m["generated_code"].value("code", "");
            }
        }
        if (check(!code.empty(), "the emulator generated a code")) {
            check_json_eq(esms.check_code("+84 912 345 678", code).value, json{{"check_code", "valid"}}, "nhantin_client_check_code: valid once");
            check_json_eq(esms.check_code(phone, code).value, json{{"check_code", "invalid"}}, "nhantin_client_check_code: then invalid");
        }
    }

    // RAII: clients, errors and strings are released by their unique_ptrs here; valgrind
    // checks that nothing is left.
    return check_finish("test_client");
}
