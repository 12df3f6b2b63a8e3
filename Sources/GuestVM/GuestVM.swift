/// Placeholder: the VM lands with issue 3.
import GuestSyntax
enum GuestVMModule {}
