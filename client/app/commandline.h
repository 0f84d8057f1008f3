#pragma once

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QString>

#include <optional>

namespace natter::app {

// What `natter` was asked to do at launch.
struct LaunchOptions {
    QString profile = QStringLiteral("default");
    QString language; // empty: the settings', else the system's
    bool localServer = false;
    std::optional<quint16> port; // only with localServer
};

// The desktop app's command line: the options (their --help texts translated, context "main") and the
// checks QCommandLineParser does not do. main() lets the parser handle --help, --version and unknown
// options (process()), then reads the options with read(); tests call parse().
class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(main)
public:
    CommandLine();

    QCommandLineParser &parser() { return m_parser; }
    // After the parser has parsed: the options, or nullopt with errorText() set (exit code 2).
    std::optional<LaunchOptions> read();
    // parse() + read(), for tests: arguments start with the program name.
    std::optional<LaunchOptions> parse(const QStringList &arguments);
    QString errorText() const { return m_error; }
    QString helpText() const { return m_parser.helpText(); }

private:
    QCommandLineParser m_parser;
    QCommandLineOption m_profile;
    QCommandLineOption m_language;
    QCommandLineOption m_localServer;
    QCommandLineOption m_port;
    QString m_error;
};

} // namespace natter::app
