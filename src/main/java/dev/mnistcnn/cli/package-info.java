/**
 * The command line (picocli): one class per subcommand, shared options as mixins, and handlers that
 * turn every failure into one line on stderr and a non-zero exit code.
 */
package dev.mnistcnn.cli;
