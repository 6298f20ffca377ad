class Solution:
    def reverseList(self, head: Optional[ListNode]) -> Optional[ListNode]:
        # Wrong: loses the last node.
        prev = None
        while head and head.next:
            head.next, prev, head = prev, head, head.next
        return prev
