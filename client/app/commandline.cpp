#include "client/app/commandline.h"

#include "client/app/settings.h"

namespace natter::app {

using namespace Qt::StringLiterals;

CommandLine::CommandLine()
    : m_profile(u"profile"_s,
                tr("Use a separate profile (settings, accounts, local server): two profiles on one machine are two "
                   "people."),
                u"name"_s, u"default"_s)
    , m_language(u"language"_s,
                 tr("Show the app in this language (for example en or ko) instead of the one in the settings or "
                    "the system's."),
                 u"code"_s)
    , m_localServer(u"local-server"_s,
                    tr("Start a local server when the app comes up (SQLite in the profile's app-data folder) and "
                       "fill the sign-in dialog with its address."))
    , m_port(u"port"_s,
             tr("The port of the local server; only together with --local-server (default: the one in the "
                "settings, 7470; 0 picks a free one). To sign in to a server on another port, type HOST:PORT "
                "in the sign-in dialog."),
             u"port"_s)
{
    m_parser.setApplicationDescription(tr("Natter: chat on your local network."));
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOption(m_profile);
    m_parser.addOption(m_language);
    m_parser.addOption(m_localServer);
    m_parser.addOption(m_port);
}

std::optional<LaunchOptions> CommandLine::parse(const QStringList &arguments)
{
    if (!m_parser.parse(arguments)) {
        m_error = u"natter: %1"_s.arg(m_parser.errorText());
        return std::nullopt;
    }
    return read();
}

std::optional<LaunchOptions> CommandLine::read()
{
    LaunchOptions options;
    options.profile = m_parser.value(m_profile);
    if (!Profile::isValidName(options.profile)) {
        m_error = tr("natter: profile names are 1 to 64 letters, digits, '_', '.' or '-'");
        return std::nullopt;
    }
    options.language = m_parser.value(m_language);
    options.localServer = m_parser.isSet(m_localServer);
    if (m_parser.isSet(m_port)) {
        bool ok = false;
        const uint value = m_parser.value(m_port).toUInt(&ok);
        if (!ok || value > 65535) {
            m_error = tr("natter: --port takes a number from 0 to 65535");
            return std::nullopt;
        }
        // Silently ignoring it would leave the user wondering; starting a server they did not ask for (and
        // announcing it on the LAN) would surprise them more. Say what it is for instead.
        if (!options.localServer) {
            m_error = tr("natter: --port is the port of the local server: use it with --local-server (to sign in "
                         "to a server on another port, type HOST:PORT in the sign-in dialog)");
            return std::nullopt;
        }
        options.port = quint16(value);
    }
    return options;
}

} // namespace natter::app
