#include "bench/trafficrun.h"

#include "bench/benchlog.h"
#include "bench/benchuser.h"
#include "bench/lptransport.h"
#include "common/protocol/events.h"

#include <algorithm>

namespace natter::bench {

using namespace Qt::StringLiterals;

namespace {
constexpr int kTickMs = 250;
}

TrafficRun::TrafficRun(BenchOptions options, QObject *parent) : Run(std::move(options), parent)
{
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &TrafficRun::tick);
    m_drainTimer.setSingleShot(true);
    m_drainTimer.setInterval(int(m_options.drainS * 1000));
    connect(&m_drainTimer, &QTimer::timeout, this, [this] { finishTraffic(true); });
    m_joinTimer.setSingleShot(true);
    m_joinTimer.setInterval(m_options.timeoutMs());
    connect(&m_joinTimer, &QTimer::timeout, this, [this] {
        fail(u"only %1 of %2 members joined %3 within %4 s"_s.arg(m_joined)
                 .arg(m_users.size())
                 .arg(m_room)
                 .arg(m_options.timeoutS));
    });
}

void TrafficRun::buildPlan()
{
    const QString prefix = u"b"_s + m_options.runId + u'-';
    // The body is ASCII so that bytes, UTF-16 units and code points agree.
    static constexpr QLatin1StringView kFiller("natter-bench payload 0123456789 ");
    m_body.reserve(m_options.size);
    while (m_body.size() < m_options.size)
        m_body.append(kFiller.left(m_options.size - m_body.size()));

    const auto addSender = [this](BenchUser *user, const QString &to) {
        Sender s;
        s.user = user;
        s.to = to;
        s.cidPrefix = u"%1.%2."_s.arg(m_options.runId).arg(m_senders.size());
        m_senders.push_back(std::move(s));
    };
    if (m_options.mode == Mode::Pairs) {
        for (int i = 0; i < m_options.pairs; ++i) {
            BenchUser *sender = createUser(2 * i, prefix + u's' + QString::number(i));
            BenchUser *receiver = createUser(2 * i + 1, prefix + u'r' + QString::number(i));
            addSender(sender, receiver->name());
            m_senders.back().isRecipient.assign(size_t(2 * m_options.pairs), false);
            m_senders.back().isRecipient[size_t(receiver->index())] = true;
            m_senders.back().recipients = 1;
        }
    } else {
        m_room = u"#b"_s + m_options.runId;
        for (int i = 0; i < m_options.members; ++i)
            createUser(i, prefix + u'm' + QString::number(i));
        for (int i = 0; i < m_options.senders; ++i) {
            addSender(m_users.at(i), m_room);
            m_senders.back().isRecipient.assign(size_t(m_options.members), true);
            m_senders.back().isRecipient[size_t(i)] = false; // the sending device only gets `sent`
            m_senders.back().recipients = m_options.members - 1;
        }
    }
    m_seen.resize(size_t(m_users.size()));
    for (BenchUser *user : std::as_const(m_users)) {
        connect(user, &BenchUser::messageReceived, this,
                [this, user](const protocol::ChatMessage &m) { onMessage(user, m); });
    }
    for (size_t i = 0; i < m_senders.size(); ++i) {
        connect(m_senders[i].user, &BenchUser::sentReceived, this,
                [this, i](const QString &cid, qint64 id) { onSent(int(i), cid, id); });
    }
}

void TrafficRun::start()
{
    buildPlan();
    if (m_options.mode == Mode::Pairs) {
        say(u"pairs: %1 sender/receiver pairs, window %2, %3 per sender, %4-byte bodies, run id %5"_s
                .arg(m_options.pairs)
                .arg(m_options.window)
                .arg(m_options.messages > 0 ? QString::number(m_options.messages) + u" messages"_s
                                            : u"%1 s"_s.arg(m_options.durationS))
                .arg(m_options.size)
                .arg(m_options.runId));
    } else {
        say(u"room: %1 members in %2, %3 sender(s), window %4, %5 per sender, %6-byte bodies"_s
                .arg(m_options.members)
                .arg(m_room)
                .arg(m_options.senders)
                .arg(m_options.window)
                .arg(m_options.messages > 0 ? QString::number(m_options.messages) + u" messages"_s
                                            : u"%1 s"_s.arg(m_options.durationS))
                .arg(m_options.size));
    }
    connectUsers(u"registering"_s, m_users, m_options.registerConcurrency,
                 [this](BenchUser *u) { u->registerUser(m_options.password, m_options.device); },
                 [this](double seconds) {
                     m_registerS = seconds;
                     if (m_options.mode == Mode::Room)
                         joinRoom();
                     else
                         startTraffic();
                 });
}

void TrafficRun::stopActivity()
{
    m_tick.stop();
    m_drainTimer.stop();
    m_joinTimer.stop();
    if (m_figures.isEmpty()) { // failed: keep the counters for the RESULT line
        m_figures = {{"register_s"_L1, round3(m_registerS)},
                     {"issued"_L1, m_issued},
                     {"sent"_L1, m_acked},
                     {"delivered"_L1, m_delivered},
                     {"expected"_L1, m_expected},
                     {"duplicates"_L1, m_duplicates},
                     {"corrupt"_L1, m_corrupt},
                     {"misrouted"_L1, m_misrouted}};
    }
}

void TrafficRun::joinRoom()
{
    for (BenchUser *user : std::as_const(m_users)) {
        connect(user, &BenchUser::joined, this, [this](const QString &room, int) {
            if (isEnding() || room.compare(m_room, Qt::CaseInsensitive) != 0)
                return;
            if (++m_joined == m_users.size()) {
                m_joinTimer.stop();
                say(u"joined: %1 members in %2"_s.arg(m_joined).arg(m_room));
                startTraffic();
            }
        });
        user->join(m_room);
    }
    m_joinTimer.start();
}

void TrafficRun::startTraffic()
{
    say(u"sending..."_s);
    m_t0 = m_lastProgressNs = m_lastReportNs = nowNs();
    if (m_options.durationS > 0)
        m_sendDeadlineNs = m_t0 + qint64(m_options.durationS * 1e9);
    m_tick.start();
    for (Sender &s : m_senders)
        fillWindow(s);
    checkSendingDone();
}

void TrafficRun::fillWindow(Sender &s)
{
    while (!s.stopped && s.inFlight < m_options.window) {
        const qint64 seq = qint64(s.sendNs.size());
        const qint64 now = nowNs();
        if ((m_options.messages > 0 && seq >= m_options.messages) || (m_sendDeadlineNs && now >= m_sendDeadlineNs)) {
            s.stopped = true;
            break;
        }
        s.sendNs.push_back(now);
        s.sentIds.push_back(0);
        s.deliveries.push_back(0);
        ++s.inFlight;
        ++m_issued;
        s.user->send(s.to, m_body, s.cidPrefix + QString::number(seq));
    }
}

std::optional<TrafficRun::CidRef> TrafficRun::parseCid(QStringView cid) const
{
    const qsizetype runLen = m_options.runId.size();
    if (cid.size() < runLen + 4 || !cid.startsWith(m_options.runId) || cid[runLen] != u'.')
        return std::nullopt;
    const QStringView rest = cid.mid(runLen + 1);
    const qsizetype dot = rest.indexOf(u'.');
    if (dot <= 0)
        return std::nullopt;
    bool okSender = false;
    bool okSeq = false;
    const int sender = rest.left(dot).toInt(&okSender);
    const qint64 seq = rest.mid(dot + 1).toLongLong(&okSeq);
    if (!okSender || !okSeq || sender < 0 || size_t(sender) >= m_senders.size() || seq < 0
        || size_t(seq) >= m_senders[size_t(sender)].sendNs.size())
        return std::nullopt;
    return CidRef{sender, seq};
}

void TrafficRun::onSent(int senderIndex, const QString &cid, qint64 id)
{
    if (isEnding())
        return;
    const auto ref = parseCid(cid);
    if (!ref || ref->sender != senderIndex) {
        fail(u"'sent' with a cid this sender never used: %1"_s.arg(cid));
        return;
    }
    Sender &s = m_senders[size_t(senderIndex)];
    if (s.sentIds[size_t(ref->seq)] != 0) {
        fail(u"second 'sent' for cid %1 (ids %2 and %3)"_s.arg(cid).arg(s.sentIds[size_t(ref->seq)]).arg(id));
        return;
    }
    const qint64 now = nowNs();
    s.sentIds[size_t(ref->seq)] = id;
    m_sentLatency.add(now - s.sendNs[size_t(ref->seq)]);
    m_lastSentNs = now;
    ++m_acked;
    m_expected += s.recipients;
    --s.inFlight;
    fillWindow(s);
    checkSendingDone();
}

void TrafficRun::onMessage(BenchUser *user, const protocol::ChatMessage &m)
{
    user->ack(m.id);
    if (isEnding())
        return;
    const qint64 now = nowNs();
    if (m_seen[size_t(user->index())].contains(m.id)) {
        ++m_duplicates;
        qCDebug(lcBench) << user->name() << "got message" << m.id << "again";
        return;
    }
    m_seen[size_t(user->index())].insert(m.id);
    const auto ref = parseCid(m.cid);
    if (!ref) {
        ++m_corrupt;
        qCWarning(lcBench) << user->name() << "got a message with an unknown cid" << m.cid << "from" << m.from;
        return;
    }
    Sender &s = m_senders[size_t(ref->sender)];
    const size_t seq = size_t(ref->seq);
    if (!s.isRecipient[size_t(user->index())] || m.from.compare(s.user->name(), Qt::CaseInsensitive) != 0
        || m.to.compare(s.to, Qt::CaseInsensitive) != 0) {
        ++m_misrouted;
        qCWarning(lcBench) << user->name() << "got" << m.cid << "from" << m.from << "to" << m.to;
        return;
    }
    if (m.body != m_body || (s.sentIds[seq] != 0 && s.sentIds[seq] != m.id)) {
        ++m_corrupt;
        qCWarning(lcBench) << user->name() << "got" << m.cid << "with id" << m.id << "(sent said"
                           << s.sentIds[seq] << ") or a different body";
        return;
    }
    if (int(s.deliveries[seq]) >= s.recipients) {
        ++m_duplicates; // the same send delivered again under another id
        return;
    }
    ++s.deliveries[seq];
    ++m_delivered;
    m_lastDeliveryNs = now;
    m_e2e.add(now - s.sendNs[seq]);
    if (m_draining && m_delivered >= m_expected)
        finishTraffic(false);
}

void TrafficRun::checkSendingDone()
{
    if (m_draining || isEnding())
        return;
    for (const Sender &s : m_senders) {
        if (!s.stopped || s.inFlight > 0)
            return;
    }
    m_draining = true;
    if (m_delivered >= m_expected) {
        finishTraffic(false);
        return;
    }
    say(u"all %1 sends confirmed; draining the last %2 deliveries (up to %3 s)"_s.arg(m_acked)
            .arg(m_expected - m_delivered)
            .arg(m_options.drainS));
    m_drainTimer.start();
}

void TrafficRun::tick()
{
    if (isEnding())
        return;
    const qint64 now = nowNs();
    const qint64 mark = m_acked + m_delivered + m_duplicates + m_corrupt + m_misrouted;
    if (mark != m_progressMark) {
        m_progressMark = mark;
        m_lastProgressNs = now;
    } else if (!m_draining && now - m_lastProgressNs > qint64(m_options.timeoutS * 1e9)) {
        fail(u"stalled: no 'sent' or 'message' for %1 s (%2 sends in flight, %3 of %4 confirmed)"_s
                 .arg(m_options.timeoutS)
                 .arg(m_issued - m_acked)
                 .arg(m_acked)
                 .arg(m_issued));
        return;
    }
    if (!m_options.quiet && now - m_lastReportNs >= 1'000'000'000) {
        const double dt = double(now - m_lastReportNs) / 1e9;
        say(u"  %1 s: sent %2, delivered %3 (%4/s), in flight %5"_s.arg(double(now - m_t0) / 1e9, 0, 'f', 1)
                .arg(m_acked)
                .arg(m_delivered)
                .arg(double(m_delivered - m_lastReportDelivered) / dt, 0, 'f', 0)
                .arg(m_issued - m_acked));
        m_lastReportNs = now;
        m_lastReportDelivered = m_delivered;
    }
}

void TrafficRun::finishTraffic(bool drainExpired)
{
    if (isEnding())
        return;
    m_tick.stop();
    m_drainTimer.stop();

    qint64 lost = 0;
    for (const Sender &s : m_senders) {
        for (size_t seq = 0; seq < s.sendNs.size(); ++seq) {
            if (s.sentIds[seq] != 0)
                lost += std::max<qint64>(0, s.recipients - qint64(s.deliveries[seq]));
        }
    }
    const double sendS = double(std::max(m_lastSentNs, m_t0 + 1) - m_t0) / 1e9;
    const double deliverS = double(std::max(m_lastDeliveryNs, m_t0 + 1) - m_t0) / 1e9;
    const double sentRate = double(m_acked) / sendS;
    const double deliveredRate = double(m_delivered) / deliverS;
    const LatencySummary e2e = m_e2e.summarize();
    const LatencySummary sent = m_sentLatency.summarize();

    say(u"sent:      %1 messages confirmed in %2 s = %3 msgs/s"_s.arg(m_acked).arg(sendS, 0, 'f', 3).arg(
        sentRate, 0, 'f', 0));
    say(u"delivered: %1 of %2 in %3 s = %4 %5/s"_s.arg(m_delivered)
            .arg(m_expected)
            .arg(deliverS, 0, 'f', 3)
            .arg(deliveredRate, 0, 'f', 0)
            .arg(m_options.mode == Mode::Room ? u"deliveries"_s : u"msgs"_s));
    say(u"e2e latency (send -> message):  %1"_s.arg(e2e.toString()));
    say(u"sent latency (send -> sent):    %1"_s.arg(sent.toString()));
    say(u"lost %1, duplicates %2, corrupt %3, misrouted %4%5"_s.arg(lost)
            .arg(m_duplicates)
            .arg(m_corrupt)
            .arg(m_misrouted)
            .arg(drainExpired ? u" (drain timeout expired)"_s : QString()));

    m_figures = {{"register_s"_L1, round3(m_registerS)},
                 {"sent"_L1, m_acked},
                 {"delivered"_L1, m_delivered},
                 {"expected"_L1, m_expected},
                 {"send_s"_L1, round3(sendS)},
                 {"deliver_s"_L1, round3(deliverS)},
                 {"sent_per_s"_L1, qRound64(sentRate)},
                 {"delivered_per_s"_L1, qRound64(deliveredRate)},
                 {"e2e_ms"_L1, e2e.toJson()},
                 {"sent_ms"_L1, sent.toJson()},
                 {"lost"_L1, lost},
                 {"duplicates"_L1, m_duplicates},
                 {"corrupt"_L1, m_corrupt},
                 {"misrouted"_L1, m_misrouted}};
    if (m_options.transport == TransportKind::LongPolling) {
        const LongPollTransport::Counters &c = LongPollTransport::counters();
        say(u"long polling: %1 /send (%2 envelopes), %3 /poll (%4 superseding), %5 events, %6 messages handed "
            "back before their ack was applied"_s.arg(c.sends)
                .arg(c.sentEnvelopes)
                .arg(c.polls)
                .arg(c.supersedingPolls)
                .arg(c.events)
                .arg(c.redelivered));
        m_figures.insert("lp"_L1, QJsonObject{{"sends"_L1, c.sends},
                                              {"send_envelopes"_L1, c.sentEnvelopes},
                                              {"polls"_L1, c.polls},
                                              {"superseding_polls"_L1, c.supersedingPolls},
                                              {"events"_L1, c.events},
                                              {"redelivered"_L1, c.redelivered}});
    }
    const bool clean = lost == 0 && m_duplicates == 0 && m_corrupt == 0 && m_misrouted == 0;
    complete(clean ? kExitOk : kExitIntegrity);
}

} // namespace natter::bench
