#include "bench/options.h"

#include "common/protocol/validation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRandomGenerator>

#include <limits>

namespace natter::bench {

using namespace Qt::StringLiterals;

QString modeName(Mode mode)
{
    switch (mode) {
    case Mode::Pairs:
        return u"pairs"_s;
    case Mode::Room:
        return u"room"_s;
    case Mode::Idle:
        return u"idle"_s;
    }
    return {};
}

QJsonObject BenchOptions::toJson() const
{
    QJsonObject o{{"mode"_L1, modeName(mode)},
                  {"transport"_L1, transportName(transport)},
                  {"url"_L1, url.toString()},
                  {"run"_L1, runId},
                  {"timeout_s"_L1, timeoutS}};
    if (transport == TransportKind::LongPolling)
        o.insert("lp_users_per_nam"_L1, lpUsersPerManager);
    if (mode == Mode::Idle) {
        o.insert("connections"_L1, connections);
        o.insert("hold_s"_L1, holdS);
        o.insert("connect_concurrency"_L1, connectConcurrency);
        if (pid > 0)
            o.insert("pid"_L1, pid);
        return o;
    }
    if (mode == Mode::Pairs) {
        o.insert("pairs"_L1, pairs);
    } else {
        o.insert("members"_L1, members);
        o.insert("senders"_L1, senders);
    }
    o.insert("window"_L1, window);
    o.insert("messages"_L1, messages);
    o.insert("duration_s"_L1, durationS);
    o.insert("size"_L1, size);
    o.insert("ack_delay_ms"_L1, ackDelayMs);
    o.insert("drain_s"_L1, drainS);
    o.insert("register_concurrency"_L1, registerConcurrency);
    return o;
}

namespace {

QString randomRunId()
{
    static constexpr char16_t kAlphabet[] = u"abcdefghijklmnopqrstuvwxyz0123456789";
    QString id;
    for (int i = 0; i < 6; ++i)
        id.append(QChar(kAlphabet[QRandomGenerator::system()->bounded(36)]));
    return id;
}

// Reads an integer option in [min, max]; records the first error.
class NumberReader
{
public:
    NumberReader(const QCommandLineParser &parser, QString *error) : m_parser(parser), m_error(error) {}

    template <typename T>
    void integer(const QString &name, T *out, qint64 min, qint64 max)
    {
        if (!m_parser.isSet(name))
            return;
        bool ok = false;
        const qint64 v = m_parser.value(name).toLongLong(&ok);
        if (!ok || v < min || v > max)
            fail(u"--%1 must be an integer from %2 to %3"_s.arg(name).arg(min).arg(max));
        else
            *out = T(v);
    }

    void real(const QString &name, double *out, double min, double max)
    {
        if (!m_parser.isSet(name))
            return;
        bool ok = false;
        const double v = m_parser.value(name).toDouble(&ok);
        if (!ok || v < min || v > max)
            fail(u"--%1 must be a number from %2 to %3"_s.arg(name).arg(min).arg(max));
        else
            *out = v;
    }

    void fail(const QString &message)
    {
        if (m_error->isEmpty())
            *m_error = message;
    }

private:
    const QCommandLineParser &m_parser;
    QString *m_error;
};

} // namespace

std::optional<BenchOptions> parseOptions(const QCoreApplication &app, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Load generator for Natter servers: speaks wire protocol v1 to any server URL.\n"
        "Modes: pairs (sender->receiver pairs), room (one room, several senders), idle (many idle "
        "authenticated connections; with --pid, server RSS per connection).\n"
        "Prints human-readable lines and a final 'RESULT {json}' line. Exit code: 0 ok, 1 lost/duplicate/"
        "corrupt messages, 2 usage error, 3 run failed (connection, server error or timeout).\n"
        "Tip: start natterd with a low --password-iterations for benchmarks; registration is slow otherwise."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QList<QCommandLineOption> options{
        {u"url"_s, u"Server WebSocket URL (default ws://127.0.0.1:7470/ws); long polling uses http://host:port of it "
                   "(an http:// URL is accepted too)."_s, u"url"_s},
        {u"mode"_s, u"pairs (default), room or idle."_s, u"mode"_s},
        {u"transport"_s, u"ws (WebSocket, default) or lp (HTTP long polling; modes pairs and room)."_s, u"name"_s},
        {u"lp-users-per-nam"_s, u"lp: users sharing one QNetworkAccessManager, 1 (default) or 2."_s, u"n"_s},
        {u"pairs"_s, u"pairs: sender/receiver pairs (default 16)."_s, u"n"_s},
        {u"members"_s, u"room: members of the room (default 16)."_s, u"k"_s},
        {u"senders"_s, u"room: members that send (default 2)."_s, u"s"_s},
        {u"window"_s, u"Sends in flight per sender (default 32)."_s, u"w"_s},
        {u"messages"_s, u"Messages per sender (default 1000; unlimited with --duration alone)."_s, u"m"_s},
        {u"duration"_s, u"Stop sending after this many seconds."_s, u"s"_s},
        {u"size"_s, u"Message body bytes, 1-8000 (default 64)."_s, u"b"_s},
        {u"ack-delay"_s, u"Receivers batch acks for this many ms (default 2)."_s, u"ms"_s},
        {u"drain"_s, u"Seconds to wait for outstanding deliveries after the last send (default 5)."_s, u"s"_s},
        {u"connections"_s, u"idle: idle connections to open (default 100)."_s, u"n"_s},
        {u"pid"_s, u"idle: server process id, to read its VmRSS."_s, u"pid"_s},
        {u"hold"_s, u"idle: seconds to hold the connections open (default 5)."_s, u"s"_s},
        {u"register-concurrency"_s, u"Registrations in flight (default 4)."_s, u"n"_s},
        {u"connect-concurrency"_s, u"idle: connection handshakes in flight (default 64)."_s, u"n"_s},
        {u"timeout"_s, u"Seconds allowed per operation and without progress (default 10)."_s, u"s"_s},
        {u"password"_s, u"Password of the benchmark users (default bench-pw)."_s, u"pw"_s},
        {u"device"_s, u"Device id of the benchmark users (default bench)."_s, u"id"_s},
        {u"run-id"_s, u"Prefix for user and room names (default: random)."_s, u"id"_s},
        {u"quiet"_s, u"No progress lines."_s},
    };
    parser.addOptions(options);
    parser.process(app);

    BenchOptions o;
    NumberReader n(parser, error);
    if (!parser.positionalArguments().isEmpty())
        n.fail(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().constFirst()));

    const QString mode = parser.value(u"mode"_s);
    if (mode.isEmpty() || mode == "pairs"_L1)
        o.mode = Mode::Pairs;
    else if (mode == "room"_L1)
        o.mode = Mode::Room;
    else if (mode == "idle"_L1)
        o.mode = Mode::Idle;
    else
        n.fail(u"--mode must be pairs, room or idle"_s);

    if (parser.isSet(u"transport"_s)) {
        const auto kind = transportFromName(parser.value(u"transport"_s));
        if (!kind)
            n.fail(u"--transport must be ws or lp"_s);
        else
            o.transport = *kind;
    }

    o.url = QUrl(parser.isSet(u"url"_s) ? parser.value(u"url"_s) : u"ws://127.0.0.1:7470/ws"_s);
    const bool httpUrl = o.url.scheme() == "http"_L1 || o.url.scheme() == "https"_L1;
    if (!o.url.isValid() || (o.url.scheme() != "ws"_L1 && o.url.scheme() != "wss"_L1 && !httpUrl))
        n.fail(u"--url must be a ws:// or wss:// URL (or http(s):// with --transport lp)"_s);
    else if (httpUrl && o.transport != TransportKind::LongPolling)
        n.fail(u"--url http(s):// needs --transport lp"_s);
    if (o.transport == TransportKind::LongPolling && o.mode == Mode::Idle)
        n.fail(u"--mode idle supports --transport ws only"_s);
    n.integer(u"lp-users-per-nam"_s, &o.lpUsersPerManager, 1, 2);

    n.integer(u"pairs"_s, &o.pairs, 1, 100'000);
    n.integer(u"members"_s, &o.members, 2, 100'000);
    n.integer(u"senders"_s, &o.senders, 1, 100'000);
    n.integer(u"window"_s, &o.window, 1, 100'000);
    n.integer(u"size"_s, &o.size, 1, protocol::kMaxBodyCodePoints);
    n.integer(u"ack-delay"_s, &o.ackDelayMs, 0, 10'000);
    n.real(u"drain"_s, &o.drainS, 0, 3600);
    n.integer(u"connections"_s, &o.connections, 1, 1'000'000);
    n.integer(u"pid"_s, &o.pid, 1, std::numeric_limits<int>::max());
    n.real(u"hold"_s, &o.holdS, 0, 86'400);
    n.integer(u"register-concurrency"_s, &o.registerConcurrency, 1, 10'000);
    n.integer(u"connect-concurrency"_s, &o.connectConcurrency, 1, 100'000);
    n.real(u"timeout"_s, &o.timeoutS, 0.1, 3600);
    n.real(u"duration"_s, &o.durationS, 0.1, 86'400);
    if (parser.isSet(u"duration"_s) && !parser.isSet(u"messages"_s))
        o.messages = 0;
    n.integer(u"messages"_s, &o.messages, 1, 1'000'000'000);
    if (o.mode == Mode::Room && o.senders > o.members)
        n.fail(u"--senders must not exceed --members"_s);

    o.password = parser.isSet(u"password"_s) ? parser.value(u"password"_s) : u"bench-pw"_s;
    o.device = parser.isSet(u"device"_s) ? parser.value(u"device"_s) : u"bench"_s;
    if (!protocol::isValidDevice(o.device))
        n.fail(u"--device must be 1-64 characters from '!' to '~'"_s);
    o.runId = parser.isSet(u"run-id"_s) ? parser.value(u"run-id"_s) : randomRunId();
    // The longest generated name is "b<run>-r<index>" (see TrafficRun); keep it within 32 characters.
    if (o.runId.isEmpty() || o.runId.size() > 12 || !protocol::isValidUserName(o.runId) || o.runId.contains(u'.'))
        n.fail(u"--run-id must be 1-12 of A-Z a-z 0-9 _ -"_s);
    o.quiet = parser.isSet(u"quiet"_s);

    if (!error->isEmpty())
        return std::nullopt;
    return o;
}

} // namespace natter::bench
