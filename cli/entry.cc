// The caseledger binary (cli/run.h has the commands).
#include "cli/run.h"

int main(int argc, char** argv) { return caseledger::cli::Main(argc, argv); }
