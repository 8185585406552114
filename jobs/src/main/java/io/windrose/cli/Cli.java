package io.windrose.cli;

import io.windrose.config.ConfigException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.IParamLabelRenderer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What every {@code windrose} command shares: the exit codes, and how errors are reported — results on stdout, errors on
 * stderr, a usage error with a hint to {@code --help}, a configuration error naming the file and the key.
 */
public final class Cli {
    /** Done. */
    public static final int OK = 0;
    /** It failed: the job failed, or the job rejected a rule. */
    public static final int FAILED = 1;
    /** A usage error (unknown command or option, a missing or bad value) or a configuration error. */
    public static final int USAGE = 2;
    /** No answer in time (the job, Kafka). */
    public static final int NO_ANSWER = 3;

    /** The exit codes as picocli lists them in the help ({@code exitCodeList}). */
    public static final String EXIT_CODES_HEADING = "%nExit codes:%n";

    private Cli() {}

    /**
     * Sets up {@code commandLine} (and its subcommands) to print to {@code out} and {@code err} and to map errors to the
     * exit codes above. Arguments are taken as they are: no {@code @file} expansion.
     */
    public static CommandLine configure(CommandLine commandLine, PrintWriter out, PrintWriter err) {
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExpandAtFiles(false);
        commandLine.setParameterExceptionHandler(Cli::usageError);
        commandLine.setExecutionExceptionHandler(Cli::failure);
        commandLine.setHelpFactory(Cli::help);
        return commandLine;
    }

    /**
     * The help as picocli writes it, but with {@code --option VALUE} as Windrose's docs write options, not
     * {@code --option=VALUE} (both are accepted).
     */
    private static Help help(CommandSpec spec, ColorScheme colors) {
        return new Help(spec, colors) {
            @Override
            public IParamLabelRenderer parameterLabelRenderer() {
                IParamLabelRenderer standard = super.parameterLabelRenderer();
                return new IParamLabelRenderer() {
                    @Override
                    public Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<IStyle> styles) {
                        Text label = standard.renderParameterLabel(arg, ansi, styles);
                        String separator = standard.separator();
                        if (!arg.isOption() || !label.plainString().startsWith(separator)) {
                            return label;
                        }
                        return ansi.new Text(" ", colors).concat(label.substring(separator.length()));
                    }

                    @Override
                    public String separator() {
                        return " ";
                    }
                };
            }
        };
    }

    /** A usage error: the message, suggestions for a misspelt command or option, and where the help is; exit 2. */
    static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    /** A command threw: a configuration error is exit 2 (the file, the key, what was expected); anything else 1. */
    static int failure(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (e instanceof ConfigException) {
            err.println("windrose: configuration error in " + e.getMessage());
            err.flush();
            return USAGE;
        }
        err.println(command.getCommandSpec().qualifiedName() + " failed: " + e);
        e.printStackTrace(err);
        err.flush();
        return FAILED;
    }
}
